package io.mailgate.parse;

import io.mailgate.parse.LimitedMultipart.LimitExceededException;
import io.mailgate.parse.LimitedMultipart.WalkedBodyPart;
import io.mailgate.parse.MalformedEmailException.Reason;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks the MIME tree of a message in document order and sorts its leaves into text body, HTML
 * body and attachments, without reading any content.
 *
 * <p>The walk is iterative (an explicit stack, never recursion) and checks the depth before a
 * multipart is even split, so a message nested ten thousand levels deep costs {@code maxDepth}
 * splits and then fails, instead of a StackOverflowError.
 */
final class MimeWalker {

    enum Kind {
        TEXT_BODY,
        HTML_BODY,
        ATTACHMENT
    }

    /**
     * A leaf of the tree; {@code part} reads its content lazily from the shared file. {@code depth}
     * counts the multiparts and enclosing messages around it; a message inside it starts one deeper.
     */
    record Leaf(Kind kind, MimePart part, PartInfo info, int depth) {}

    private record Node(MimePart part, HeaderBlock headers, int depth) {}

    private final ParseLimits limits;
    private final LimitedMultipart.PartCounter counter;

    MimeWalker(ParseLimits limits) {
        this(limits, new LimitedMultipart.PartCounter(limits));
    }

    /** A walker that counts parts with a counter shared with the walks of nested messages. */
    MimeWalker(ParseLimits limits, LimitedMultipart.PartCounter counter) {
        this.limits = limits;
        this.counter = counter;
    }

    List<Leaf> walk(MimeMessage message, HeaderBlock messageHeaders) throws MalformedEmailException {
        return walk(message, messageHeaders, 0);
    }

    /** @param baseDepth depth of the message itself: 0 at the top, more for a message nested in another */
    List<Leaf> walk(MimeMessage message, HeaderBlock messageHeaders, int baseDepth) throws MalformedEmailException {
        List<Leaf> leaves = new ArrayList<>();
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(new Node(message, messageHeaders, baseDepth));
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            PartInfo info = PartInfo.of(node.headers());
            if (!info.isMultipart()) {
                leaves.add(new Leaf(classify(info), node.part(), info, node.depth()));
                continue;
            }
            if (node.depth() + 1 > limits.maxDepth()) {
                throw new MalformedEmailException(
                        Reason.TOO_DEEP, "MIME nesting deeper than " + limits.maxDepth() + " levels");
            }
            List<Node> children = split(node, counter);
            if (children == null) {
                // A multipart we cannot split (no boundary line at all, or a broken Content-Type):
                // show its content as text rather than lose the message.
                PartInfo asText = new PartInfo("text/plain", info.charset(), null, null, null, info.encoding());
                leaves.add(new Leaf(Kind.TEXT_BODY, node.part(), asText, node.depth()));
                continue;
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i)); // reversed, so they come off the stack in document order
            }
        }
        return leaves;
    }

    /** The children of a multipart, or null when it cannot be split. */
    private List<Node> split(Node node, LimitedMultipart.PartCounter counter) throws MalformedEmailException {
        try {
            LimitedMultipart multipart =
                    new LimitedMultipart(new MimePartDataSource(node.part()), counter, limits.maxHeaderBytes());
            int count = multipart.getCount();
            if (count == 0) {
                return null; // no boundary line found: Jakarta calls that empty, we show the text
            }
            List<Node> children = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                BodyPart child = multipart.getBodyPart(i);
                if (child instanceof WalkedBodyPart walked) {
                    children.add(new Node(walked, walked.headerBlock(), node.depth() + 1));
                }
            }
            return children;
        } catch (MessagingException e) {
            MalformedEmailException limit = limitViolation(e);
            if (limit != null) {
                throw limit;
            }
            return null;
        }
    }

    /** A limit violation somewhere in the exception chain Jakarta Mail may have wrapped it in. */
    private static MalformedEmailException limitViolation(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof LimitExceededException limit) {
                return limit.malformed();
            }
        }
        return null;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    /**
     * text/plain and text/html parts are the body unless marked as an attachment or named; everything
     * else (other text types such as text/calendar included) is an attachment. A whole message
     * (message/rfc822) is one attachment here; {@link MimeParser} parses it as a message of its own.
     */
    static Kind classify(PartInfo info) {
        if (!info.isMessage() && !info.isAttachmentDisposition() && info.fileName() == null) {
            if (info.mimeType().equals("text/plain")) {
                return Kind.TEXT_BODY;
            }
            if (info.mimeType().equals("text/html")) {
                return Kind.HTML_BODY;
            }
        }
        return Kind.ATTACHMENT;
    }
}
