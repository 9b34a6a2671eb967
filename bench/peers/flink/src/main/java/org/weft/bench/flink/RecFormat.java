package org.weft.bench.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A source file's lines parsed inside the file source, so that the source
 * itself assigns event times and watermarks, which watermark alignment
 * needs (it pauses a source reader whose watermark runs ahead of the group).
 * Blank lines are skipped; a dead letter comes out as a record without a
 * signature, counted and dropped right after the source ({@link CountRecords}).
 */
public final class RecFormat extends SimpleStreamFormat<Rec> {

    private static final long serialVersionUID = 1L;

    private final String source;

    public RecFormat(String source) {
        this.source = source;
    }

    /** A dead letter's stand-in: no signature, and the smallest timestamp, so it never moves a watermark. */
    static Rec deadLetter(String source) {
        return new Rec(source, null, Long.MIN_VALUE, null, null, null);
    }

    @Override
    public StreamFormat.Reader<Rec> createReader(Configuration config, FSDataInputStream stream) throws IOException {
        StreamFormat.Reader<String> lines =
                new TextLineInputFormat(StandardCharsets.UTF_8.name()).createReader(config, stream);
        RawParser parser = new RawParser(source);
        return new StreamFormat.Reader<>() {
            @Override
            public Rec read() throws IOException {
                for (String line = lines.read(); line != null; line = lines.read()) {
                    if (RawParser.isBlank(line)) continue;
                    Rec r = parser.parse(line);
                    return r != null ? r : deadLetter(source);
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<Rec> getProducedType() {
        return TypeInformation.of(Rec.class);
    }
}
