package io.mailgate.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Microsoft Graph posts change and lifecycle notifications. Unauthenticated by nature (Microsoft signs
 * nothing here): the validation handshake echoes the token as text; a notification is answered 202 at once, after
 * {@link GraphNotifications} checked each item's subscription and clientState and woke the connection. A body
 * that is too large or not JSON is 400; unknown subscriptions and wrong client states are 202 and nothing else.
 */
@RestController
class GraphNotificationController {

    private static final Logger LOG = LoggerFactory.getLogger(GraphNotificationController.class);
    /** Graph batches notifications; a body larger than this is not Graph's. */
    private static final int MAX_BODY = 1024 * 1024;

    private static final int MAX_TOKEN = 2048;

    private final GraphNotifications notifications;
    private final ObjectMapper json;

    GraphNotificationController(GraphNotifications notifications, ObjectMapper json) {
        this.notifications = notifications;
        this.json = json;
    }

    @Operation(summary = "Microsoft Graph change notifications (and the validationToken handshake)")
    @PostMapping(path = GraphNotifications.NOTIFICATION_PATH)
    ResponseEntity<String> changed(@RequestParam(required = false) String validationToken, HttpServletRequest request) {
        return handle(validationToken, request, false);
    }

    @Operation(summary = "Microsoft Graph lifecycle notifications (and the validationToken handshake)")
    @PostMapping(path = GraphNotifications.LIFECYCLE_PATH)
    ResponseEntity<String> lifecycle(
            @RequestParam(required = false) String validationToken, HttpServletRequest request) {
        return handle(validationToken, request, true);
    }

    private ResponseEntity<String> handle(String validationToken, HttpServletRequest request, boolean lifecycle) {
        if (validationToken != null) {
            // Microsoft checks the URL answers before it creates a subscription: the token, as plain text, in 10 s
            if (validationToken.isEmpty() || validationToken.length() > MAX_TOKEN) {
                return ResponseEntity.badRequest()
                        .contentType(MediaType.TEXT_PLAIN)
                        .body("validationToken too long");
            }
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(validationToken);
        }
        JsonNode body;
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                        .contentType(MediaType.TEXT_PLAIN)
                        .body("body too large");
            }
            body = json.readTree(bytes);
        } catch (IOException e) {
            return ResponseEntity.badRequest()
                    .contentType(MediaType.TEXT_PLAIN)
                    .body("not a Graph notification (JSON)");
        }
        JsonNode items = body == null ? null : body.path("value");
        if (items == null || !items.isArray()) {
            return ResponseEntity.badRequest()
                    .contentType(MediaType.TEXT_PLAIN)
                    .body("not a Graph notification (value)");
        }
        int delivered = 0;
        for (JsonNode item : items) {
            String event = lifecycle ? item.path("lifecycleEvent").asText(null) : null;
            if (lifecycle && event == null) {
                continue;
            }
            if (notifications.notified(
                            item.path("subscriptionId").asText(null),
                            item.path("clientState").asText(null),
                            event)
                    == GraphNotifications.Outcome.DELIVERED) {
                delivered++;
            }
        }
        LOG.debug(
                "Graph {} notification: {} of {} item(s) handed over",
                lifecycle ? "lifecycle" : "change",
                delivered,
                items.size());
        return ResponseEntity.accepted().build();
    }
}
