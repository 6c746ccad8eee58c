package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcmon.transport.wire.Json;
import jakarta.ws.rs.ext.ContextResolver;

/** Gives Jersey's Jackson provider the dcmon mapper (strict, bounded). */
final class ObjectMapperResolver implements ContextResolver<ObjectMapper> {
    @Override
    public ObjectMapper getContext(Class<?> type) {
        return Json.mapper();
    }
}
