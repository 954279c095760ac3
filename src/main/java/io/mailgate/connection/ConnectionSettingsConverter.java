package io.mailgate.connection;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link ConnectionSettings} as JSON text, which H2 and PostgreSQL both hold as TEXT. */
@Converter
class ConnectionSettingsConverter implements AttributeConverter<ConnectionSettings, String> {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Settings written by a newer version stay readable by an older one.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public String convertToDatabaseColumn(ConnectionSettings settings) {
        try {
            return MAPPER.writeValueAsString(settings);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot store connection settings", e);
        }
    }

    @Override
    public ConnectionSettings convertToEntityAttribute(String json) {
        try {
            return MAPPER.readValue(json, ConnectionSettings.class);
        } catch (Exception e) {
            throw new IllegalStateException("Stored connection settings are unreadable", e);
        }
    }
}
