/**
 * The {@code ews:} Camel component: reads unread messages from a folder of an on-premises Exchange (2016, 2019,
 * SE) mailbox over Exchange Web Services and hands each one to the route as raw MIME.
 *
 * <pre>
 * ews:connectionKey?endpoint=https://mail.example.com/EWS/Exchange.asmx
 *     &amp;mailbox=primary@example.com\shared@example.com   (or just user@example.com)
 *     &amp;folder=Inbox/Phishing                            (default Inbox)
 *     &amp;credentials=#beanOfType EwsCredentials
 *     [&amp;sslContext=#beanOfType javax.net.ssl.SSLContext] [&amp;proxy=#beanOfType EwsProxy]
 *     [&amp;maxMessagesPerPoll=100] [&amp;delay=60000] ...
 * </pre>
 *
 * Each exchange's body is a {@link org.apache.camel.StreamCache} over a temporary file (never a byte array), the
 * headers are those of {@link io.mailgate.component.ews.EwsConstants}; the item is marked read only when the
 * exchange completes, and the file is deleted either way. The route must therefore process the body before the
 * exchange completes (a synchronous {@code direct:} pipeline, as DESIGN.md asks), not hand it to another thread.
 * {@link io.mailgate.component.ews.EwsClient#testConnection} serves the connection test;
 * {@link io.mailgate.component.ews.EwsEndpointValidator} checks an endpoint URL before it is saved.
 */
package io.mailgate.component.ews;
