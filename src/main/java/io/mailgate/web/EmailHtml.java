package io.mailgate.web;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * An email's HTML body made safe to show inside an analyst page. Nothing in it can run, load or navigate:
 * <ul>
 *   <li>only an allow-list of text and table elements survives; script, style, iframe, object, embed, form
 *       fields, meta, link, base, svg and math are dropped with everything inside them;</li>
 *   <li>no {@code style}, {@code class}, {@code id} or event-handler attributes (the page's content policy
 *       forbids inline styles, and ids or classes could pose as the page's own);</li>
 *   <li>links are defanged: the anchor's text stays, the target follows as plain text
 *       ({@code hxxps://evil[.]example/}), never a live {@code href};</li>
 *   <li>headings become paragraphs and sectioning elements divs, so the email's structure stays out of the
 *       page's outline;</li>
 *   <li>images load nothing remote: an {@code http(s)} or any other non-data source becomes the visible text
 *       "[remote image blocked: host]", an embedded {@code cid:} part "[embedded image]"; only raster
 *       {@code data:image/(png|gif|jpeg|webp)} images are kept, because they fetch nothing (SVG is not).</li>
 * </ul>
 */
public final class EmailHtml {

    /** Dropped with their content: they run, load, restyle or submit something, or hide text that makes no sense. */
    private static final String DROPPED = "script, style, iframe, frame, frameset, object, embed, applet, form input, "
            + "input, button, select, textarea, meta, link, base, svg, math, template, noscript, title, head, "
            + "audio, video, source, track, canvas, portal";

    private static final Pattern DATA_IMAGE = Pattern.compile("(?i)^data:image/(png|gif|jpe?g|webp)[;,]");

    private static final Safelist ALLOWED = new Safelist()
            .addTags(
                    "a",
                    "abbr",
                    "address",
                    "article",
                    "b",
                    "bdi",
                    "bdo",
                    "big",
                    "blockquote",
                    "br",
                    "caption",
                    "center",
                    "cite",
                    "code",
                    "col",
                    "colgroup",
                    "dd",
                    "del",
                    "details",
                    "dfn",
                    "div",
                    "dl",
                    "dt",
                    "em",
                    "figcaption",
                    "figure",
                    "font",
                    "footer",
                    "h1",
                    "h2",
                    "h3",
                    "h4",
                    "h5",
                    "h6",
                    "header",
                    "hr",
                    "i",
                    "img",
                    "ins",
                    "kbd",
                    "li",
                    "mark",
                    "ol",
                    "p",
                    "pre",
                    "q",
                    "s",
                    "samp",
                    "section",
                    "small",
                    "span",
                    "strike",
                    "strong",
                    "sub",
                    "summary",
                    "sup",
                    "table",
                    "tbody",
                    "td",
                    "tfoot",
                    "th",
                    "thead",
                    "tr",
                    "tt",
                    "u",
                    "ul",
                    "var",
                    "wbr")
            .addAttributes(":all", "title", "dir", "lang", "align")
            .addAttributes("a", "href")
            .addAttributes("img", "src", "alt", "width", "height")
            .addAttributes("td", "colspan", "rowspan", "valign")
            .addAttributes("th", "colspan", "rowspan", "valign", "scope")
            .addAttributes("ol", "start", "type")
            .addAttributes("col", "span")
            .addAttributes("colgroup", "span");

    private EmailHtml() {}

    /** The body's safe HTML, to be inserted as it is (unescaped) into a page; empty for a null body. */
    public static String sanitize(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        Document dirty = Jsoup.parse(html);
        dirty.select(DROPPED).remove();
        Document clean = new Cleaner(ALLOWED).clean(dirty);
        for (Element link : clean.select("a")) {
            defang(link);
        }
        for (Element image : clean.select("img")) {
            blockRemote(image);
        }
        // The email's headings and sections are its own, not the page's: as h2 or section they would enter the
        // page's outline (what a screen reader lists as the page's headings and regions).
        for (Element heading : clean.select("h1, h2, h3, h4, h5, h6")) {
            heading.tagName("p").addClass("email-heading");
        }
        for (Element region : clean.select("article, section, header, footer")) {
            region.tagName("div");
        }
        clean.outputSettings().prettyPrint(false);
        return clean.body().html();
    }

    /** A URL in text, without the sentence's punctuation that may follow it. */
    private static final Pattern URL_IN_TEXT =
            Pattern.compile("(?i)\\b(?:https?|ftp)://[^\\s<>\"']*[^\\s<>\"'.,;:!?)]");

    /**
     * A plain-text body with every URL defanged like the HTML body's links ({@code hxxps://evil[.]example/}), so
     * neither body offers a URL that can be clicked, or copied and pasted into a browser by mistake.
     */
    public static String defangText(String text) {
        if (text == null) {
            return null;
        }
        return URL_IN_TEXT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(defangUrl(m.group())));
    }

    /** The anchor's text, then its target as inert text; the element itself becomes a span. */
    private static void defang(Element link) {
        String target = link.attr("href").trim();
        link.clearAttributes();
        link.tagName("span");
        link.addClass("defanged");
        if (!target.isEmpty() && !target.startsWith("#")) {
            Element shown = new Element("span").addClass("defanged-link").text("[" + defangUrl(target) + "]");
            link.after(shown);
            link.after(new TextNode(" "));
        }
    }

    private static void blockRemote(Element image) {
        String src = image.attr("src").trim();
        if (DATA_IMAGE.matcher(src).find()) {
            image.removeAttr("width").removeAttr("height"); // a huge declared size would hide the page
            return;
        }
        String text;
        if (src.isEmpty()) {
            text = null;
        } else if (src.regionMatches(true, 0, "cid:", 0, 4)) {
            text = "[embedded image"
                    + (image.hasAttr("alt") && !image.attr("alt").isBlank() ? ": " + image.attr("alt") : "") + "]";
        } else {
            text = "[remote image blocked: " + host(src) + "]";
        }
        if (text == null) {
            image.remove();
        } else {
            image.replaceWith(new Element("span").addClass("blocked-image").text(text));
        }
    }

    /** {@code https://evil.example/x} → {@code hxxps://evil[.]example/x}: readable, not clickable, not pasteable. */
    static String defangUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        String result = url;
        if (lower.startsWith("http")) {
            result = "hxxp" + url.substring(4);
        }
        String host = hostOrNull(url);
        if (host != null && !host.isEmpty()) {
            result = result.replace(host, host.replace(".", "[.]"));
        }
        return result;
    }

    private static String host(String src) {
        String host = hostOrNull(src);
        if (host != null && !host.isEmpty()) {
            return host;
        }
        int colon = src.indexOf(':');
        return colon > 0 && colon < 20 ? src.substring(0, colon) + ":" : "unknown source";
    }

    private static String hostOrNull(String url) {
        try {
            return URI.create(url.replace(" ", "%20")).getHost();
        } catch (IllegalArgumentException e) {
            int start = url.indexOf("//");
            if (start < 0) {
                return null;
            }
            int end = start + 2;
            while (end < url.length() && "/?#:".indexOf(url.charAt(end)) < 0) {
                end++;
            }
            return url.substring(start + 2, end);
        }
    }
}
