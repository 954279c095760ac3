package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The dangerous parts of an email's HTML body never reach an analyst's page. */
class HtmlBodySanitizerTest {

    private static Document shown(String html) {
        return Jsoup.parseBodyFragment(EmailHtml.sanitize(html));
    }

    private static void assertNoActiveAttributes(Document doc) {
        for (Element e : doc.getAllElements()) {
            e.attributes().forEach(a -> {
                assertThat(a.getKey())
                        .as("attribute on <%s>", e.tagName())
                        .doesNotStartWith("on")
                        .isNotIn("style", "href", "srcset", "background", "id", "action");
                assertThat(a.getValue().toLowerCase()).doesNotContain("javascript:");
            });
        }
    }

    @Test
    void scriptsAreRemovedWithTheirCode() {
        Document doc =
                shown("<p>Hello</p><script>alert('x')</script><SCRIPT src=\"https://evil.example/a.js\"></SCRIPT>");
        assertThat(doc.select("script")).isEmpty();
        assertThat(doc.body().text()).isEqualTo("Hello");
    }

    @Test
    void eventHandlersAndStyleAttributesAreRemoved() {
        Document doc = shown("<div style=\"background:url(https://evil.example/t.png)\" onclick=\"x()\">"
                + "<img src=\"data:image/png;base64,iVBORw0KGgo=\" onerror=\"alert(1)\" onload=\"alert(2)\">"
                + "<b onmouseover=\"alert(3)\" class=\"flash\" id=\"main\">bold</b></div>");
        assertNoActiveAttributes(doc);
        assertThat(doc.select("[class=flash], #main")).isEmpty();
        assertThat(doc.html()).doesNotContain("evil.example").doesNotContain("alert");
        assertThat(doc.select("b").text()).isEqualTo("bold");
    }

    @Test
    void linksAreDefangedAndJavascriptUrlsNeverLive() {
        Document doc = shown("<p>Please <a href=\"https://login.evil.example/reset?u=1\">reset your password</a>"
                + " or <a href=\"javascript:alert(document.cookie)\">click</a>.</p>");
        assertThat(doc.select("a")).isEmpty();
        assertThat(doc.select("[href]")).isEmpty();
        assertThat(doc.select("span.defanged").eachText()).containsExactly("reset your password", "click");
        assertThat(doc.select("span.defanged-link").eachText())
                .containsExactly("[hxxps://login[.]evil[.]example/reset?u=1]", "[javascript:alert(document.cookie)]");
        assertNoActiveAttributes(doc);
    }

    @Test
    void remoteImagesAreReplacedByAVisiblePlaceholder() {
        Document doc = shown("<img src=\"https://tracker.evil.example/pixel.gif\" alt=\"\">"
                + "<img src=\"//cdn.evil.example/x.png\"><img src=\"ftp://files.evil.example/a.png\">"
                + "<img src=\"cid:logo@mail\" alt=\"Logo\"><img srcset=\"https://evil.example/a.png 2x\">");
        assertThat(doc.select("img")).isEmpty();
        assertThat(doc.select("span.blocked-image").eachText())
                .containsExactly(
                        "[remote image blocked: tracker.evil.example]", "[remote image blocked: cdn.evil.example]",
                        "[remote image blocked: files.evil.example]", "[embedded image: Logo]");
        assertThat(doc.html()).doesNotContain("srcset");
    }

    @Test
    void rasterDataImagesAreKeptButSvgDataImagesAreNot() {
        Document doc = shown("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\" width=\"99999\">"
                + "<img src=\"data:image/svg+xml;base64,PHN2Zy8+\">");
        assertThat(doc.select("img")).hasSize(1);
        assertThat(doc.select("img").attr("src")).startsWith("data:image/png");
        assertThat(doc.select("img").hasAttr("width")).isFalse();
        assertThat(doc.select("span.blocked-image").text()).isEqualTo("[remote image blocked: data:]");
    }

    @Test
    void baseMetaRefreshStylesheetsAndFramesAreDropped() {
        Document doc = shown("<html><head><base href=\"https://evil.example/\">"
                + "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">"
                + "<link rel=\"stylesheet\" href=\"https://evil.example/s.css\">"
                + "<style>body { background: url(https://evil.example/bg.png) } @import url(x.css);</style></head>"
                + "<body><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">"
                + "<iframe src=\"https://evil.example/\"></iframe><object data=\"x.swf\"></object><embed src=\"x\">"
                + "<form action=\"https://evil.example/steal\"><label>Password</label><input name=\"p\" type=\"password\">"
                + "<button>Sign in</button></form><p>Text</p></body></html>");
        assertThat(doc.select("base, meta, link, style, iframe, object, embed, form, input, button"))
                .isEmpty();
        assertThat(doc.html()).doesNotContain("evil.example").doesNotContain("url(");
        assertThat(doc.body().text()).isEqualTo("Password Text");
    }

    @Test
    void svgWithScriptIsDroppedWhole() {
        Document doc = shown("<svg onload=\"alert(1)\"><script>alert(2)</script><a xlink:href=\"javascript:alert(3)\">"
                + "<text>x</text></a></svg><math><mtext><script>alert(4)</script></mtext></math><p>after</p>");
        assertThat(doc.select("svg, script, math")).isEmpty();
        assertThat(doc.html()).doesNotContain("alert");
        assertThat(doc.body().text()).isEqualTo("after");
    }

    @Test
    void textIsEscapedNotInterpreted() {
        String out = EmailHtml.sanitize("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
        assertThat(Jsoup.parseBodyFragment(out).select("script")).isEmpty();
        assertThat(out).contains("&lt;script&gt;");
        assertThat(EmailHtml.sanitize(null)).isEmpty();
    }

    @Test
    void headingsAndSectionsStayOutOfThePageOutline() {
        Document doc =
                shown("<h1>Big</h1><h2>Urgent</h2><section><header>Hi</header><article>Text</article></section>");
        assertThat(doc.select("h1, h2, h3, h4, h5, h6, section, article, header, footer"))
                .isEmpty();
        assertThat(doc.select("p.email-heading").eachText()).containsExactly("Big", "Urgent");
        assertThat(doc.text()).contains("Hi", "Text");
    }

    @Test
    void urlsInPlainTextAreDefanged() {
        assertThat(EmailHtml.defangText("Pay at https://pay.evil.example/now or http://x.example.\nthanks"))
                .isEqualTo("Pay at hxxps://pay[.]evil[.]example/now or hxxp://x[.]example.\nthanks");
        assertThat(EmailHtml.defangText("no links here")).isEqualTo("no links here");
        assertThat(EmailHtml.defangText(null)).isNull();
    }
}
