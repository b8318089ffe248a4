package io.lambdatrades.common;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The one Avro schema of the trade record, read from {@code trade.avsc}. */
public final class TradeSchema
{
    public static final Schema SCHEMA = load();

    /** CRC-64-AVRO fingerprint of the schema's parsing canonical form, as single-object encoding carries it. */
    public static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(SCHEMA);

    private TradeSchema() {}

    private static Schema load()
    {
        try (InputStream in = TradeSchema.class.getResourceAsStream("trade.avsc")) {
            if (in == null) {
                throw new IllegalStateException("trade.avsc is missing from the classpath");
            }
            return new Schema.Parser().parse(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read trade.avsc", e);
        }
    }
}
