package io.mailgate.component.ews;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads EWS responses with StAX, safely: a DTD or an entity reference ends parsing (EWS never sends one, so one is
 * an attack or a proxy's error page), external entities are off, element depth and text sizes are bounded, and
 * the caller bounds the byte count of the stream. MimeContent is decoded as it streams by, never buffered.
 */
final class EwsXml {

    /** Longest text we keep for one element other than MimeContent (ids, codes, messages). */
    static final int MAX_TEXT = 64 * 1024;

    static final int MAX_DEPTH = 64;
    static final String NS_ERRORS = "http://schemas.microsoft.com/exchange/services/2006/errors";

    private static final XMLInputFactory FACTORY = createFactory();

    private EwsXml() {}

    private static XMLInputFactory createFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        // Not coalescing: a large text node then arrives in bounded chunks instead of one huge string.
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not allowed: " + systemId);
        });
        trySet(f, XMLConstants.ACCESS_EXTERNAL_DTD, "");
        trySet(f, "jdk.xml.maxElementDepth", String.valueOf(MAX_DEPTH));
        trySet(f, "jdk.xml.elementAttributeLimit", "64");
        trySet(f, "jdk.xml.maxXMLNameLimit", "256");
        return f;
    }

    private static void trySet(XMLInputFactory f, String name, Object value) {
        try {
            f.setProperty(name, value);
        } catch (IllegalArgumentException e) {
            // Another StAX implementation: our own depth and DTD checks below still apply.
        }
    }

    /** Parses a response that carries no MimeContent. */
    static EwsResponse parse(InputStream in) {
        return parse(in, (OutputStream) null, 0);
    }

    /**
     * Parses a response, writing the decoded MimeContent (if any) to {@code mimeSink}.
     *
     * @param maxMimeBytes the most decoded bytes to accept
     */
    static EwsResponse parse(InputStream in, OutputStream mimeSink, long maxMimeBytes) {
        return parse(in, mimeSink == null ? null : message -> mimeSink, maxMimeBytes);
    }

    /**
     * Parses a response of a GetItem for several items: the MimeContent of the n-th response message goes to
     * {@code mimeSinks.apply(n)}.
     *
     * @param maxMimeBytes the most decoded bytes to accept per message
     */
    static EwsResponse parse(InputStream in, IntFunction<OutputStream> mimeSinks, long maxMimeBytes) {
        EwsResponse response = new EwsResponse();
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(in);
            new Walker(reader, response, mimeSinks, maxMimeBytes).walk();
            return response;
        } catch (XMLStreamException e) {
            throw new EwsException(
                    EwsException.Code.PROTOCOL_ERROR,
                    null,
                    "the server's response is not well-formed EWS XML: " + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new EwsException(EwsException.Code.IO_ERROR, null, "reading the server's response failed: " + e, e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release that closing the stream does not
                }
            }
        }
    }

    /** One pass over the document, remembering only what the consumer needs. */
    private static final class Walker {
        private final XMLStreamReader r;
        private final EwsResponse out;
        private final IntFunction<OutputStream> mimeSinks;
        private final long maxMimeBytes;
        private int messageIndex = -1;
        private final StringBuilder text = new StringBuilder();
        private final List<String> path = new ArrayList<>();
        private Base64StreamDecoder mime;
        private String currentValueName;
        private String folderId;
        private String folderName;

        Walker(XMLStreamReader r, EwsResponse out, IntFunction<OutputStream> mimeSinks, long maxMimeBytes) {
            this.r = r;
            this.out = out;
            this.mimeSinks = mimeSinks;
            this.maxMimeBytes = maxMimeBytes;
        }

        void walk() throws XMLStreamException, IOException {
            boolean sawRoot = false;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD ->
                        throw new EwsException(
                                EwsException.Code.PROTOCOL_ERROR,
                                "refused a response with a DTD (EWS never sends one)");
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                        throw new EwsException(
                                EwsException.Code.PROTOCOL_ERROR,
                                "refused a response with an entity reference (" + r.getLocalName() + ")");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (!sawRoot
                                && !("Envelope".equals(r.getLocalName())
                                        && EwsSoap.NS_SOAP.equals(r.getNamespaceURI()))) {
                            throw new EwsException(
                                    EwsException.Code.PROTOCOL_ERROR,
                                    "the response is not a SOAP envelope but <" + r.getLocalName() + ">");
                        }
                        sawRoot = true;
                        start(r.getLocalName());
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        characters();
                    case XMLStreamConstants.END_ELEMENT -> end(r.getLocalName());
                    default -> {
                        // comments, processing instructions: ignored
                    }
                }
            }
            if (!sawRoot) {
                throw new EwsException(EwsException.Code.PROTOCOL_ERROR, "the response is empty");
            }
        }

        private void start(String name) {
            if (path.size() >= MAX_DEPTH) {
                throw new EwsException(EwsException.Code.PROTOCOL_ERROR, "the response nests deeper than " + MAX_DEPTH);
            }
            path.add(name);
            text.setLength(0);
            switch (name) {
                case "Fault" -> out.fault = true;
                case "FindItemResponseMessage",
                        "GetItemResponseMessage",
                        "UpdateItemResponseMessage",
                        "FindFolderResponseMessage",
                        "GetFolderResponseMessage" -> {
                    messageIndex++;
                    String responseClass = r.getAttributeValue(null, "ResponseClass");
                    out.responseClass = out.responseClass == null || "Success".equals(out.responseClass)
                            ? responseClass
                            : out.responseClass;
                }
                case "RootFolder" -> {
                    out.totalItemsInView = intAttribute("TotalItemsInView");
                    out.includesLastItemInRange =
                            "true".equalsIgnoreCase(r.getAttributeValue(null, "IncludesLastItemInRange"));
                }
                case "ItemId" -> {
                    if (parentIs("Message") || parentIsItem()) {
                        out.items.add(
                                new EwsItem(r.getAttributeValue(null, "Id"), r.getAttributeValue(null, "ChangeKey")));
                    }
                }
                case "FolderId" -> folderId = r.getAttributeValue(null, "Id");
                case "Value" -> currentValueName = r.getAttributeValue(null, "Name");
                case "MimeContent" -> {
                    if (mimeSinks != null) {
                        int message = Math.max(0, messageIndex);
                        mime = new Base64StreamDecoder(mimeSinks.apply(message), maxMimeBytes);
                        out.hasMime = true;
                        out.mimeMessages.add(message);
                    }
                }
                default -> {
                    // nothing to remember on entry
                }
            }
        }

        private void characters() throws IOException {
            if (mime != null) {
                mime.write(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                return;
            }
            if (text.length() + r.getTextLength() > MAX_TEXT) {
                throw new EwsException(
                        EwsException.Code.PROTOCOL_ERROR,
                        "an element of the response is longer than " + MAX_TEXT + " characters");
            }
            text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
        }

        private void end(String name) throws IOException {
            String value = text.toString().trim();
            switch (name) {
                case "ResponseCode" -> {
                    if (path.size() >= 2 && path.get(path.size() - 2).endsWith("ResponseMessage")) {
                        out.messageCodes.add(value);
                    }
                    // The first failing response code wins; a success after it does not hide it.
                    if (out.responseCode == null || "NoError".equals(out.responseCode)) {
                        out.responseCode = value;
                    }
                }
                case "MessageText", "faultstring", "Message" -> {
                    // t:Message is an item; only the errors namespace's Message is a text
                    boolean isText = !"Message".equals(name) || NS_ERRORS.equals(r.getNamespaceURI());
                    if (isText && out.messageText == null && !value.isEmpty()) {
                        out.messageText = value;
                    }
                }
                case "faultcode" -> out.faultCode = value;
                case "Value" -> {
                    if ("InnerErrorResponseCode".equals(currentValueName) && !value.isEmpty()) {
                        // ErrorInternalServerError wraps the real cause, ErrorServerBusy among others.
                        out.innerResponseCode = value;
                    }
                    if ("BackOffMilliseconds".equals(currentValueName)) {
                        try {
                            out.backOff = Duration.ofMillis(Long.parseLong(value));
                        } catch (NumberFormatException e) {
                            // a malformed hint: the configured default back-off applies
                        }
                    }
                    currentValueName = null;
                }
                case "DisplayName" -> folderName = value;
                case "Size" -> {
                    if (!out.items.isEmpty() && (parentIs("Message") || parentIsItem())) {
                        try {
                            EwsItem last = out.items.get(out.items.size() - 1);
                            out.items.set(
                                    out.items.size() - 1,
                                    new EwsItem(last.id(), last.changeKey(), Long.parseLong(value)));
                        } catch (NumberFormatException | IndexOutOfBoundsException e) {
                            // no usable size: the item is fetched on its own
                        }
                    }
                }
                case "Folder", "SearchFolder" -> {
                    if (folderId != null) {
                        out.folders.add(new EwsResponse.FolderHit(folderId, folderName));
                    }
                    folderId = null;
                    folderName = null;
                }
                case "MimeContent" -> {
                    if (mime != null) {
                        out.mimeBytes = mime.finish();
                        mime = null;
                    }
                }
                default -> {
                    // nothing to remember on exit
                }
            }
            path.remove(path.size() - 1);
            text.setLength(0);
        }

        private boolean parentIs(String name) {
            return path.size() >= 2 && path.get(path.size() - 2).equals(name);
        }

        /** Items of any class (Message, MeetingRequest, ...) sit directly under Items. */
        private boolean parentIsItem() {
            return path.size() >= 3 && path.get(path.size() - 3).equals("Items");
        }

        private int intAttribute(String name) {
            String v = r.getAttributeValue(null, name);
            try {
                return v == null ? -1 : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
