package org.weft.bench.flink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Writes each string as one line of a local file; meant for parallelism 1. */
public class LineFileSink implements Sink<String> {

    private static final long serialVersionUID = 1L;

    private final String path;

    public LineFileSink(String path) {
        this.path = path;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<String> createWriter(InitContext context) throws IOException {
        Path p = Paths.get(path);
        if (p.getParent() != null) Files.createDirectories(p.getParent());
        BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8);
        return new SinkWriter<>() {
            @Override
            public void write(String element, Context ctx) throws IOException {
                w.write(element);
                w.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                w.flush();
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }
}
