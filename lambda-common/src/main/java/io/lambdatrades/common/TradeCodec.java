package io.lambdatrades.common;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.generic.GenericArray;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Avro single-object encoding of {@link Trade}: the marker {@code C3 01}, the schema's 8-byte
 * fingerprint (little endian), then the Avro binary body. Any Avro reader with the schema decodes it.
 * Instances are not thread safe (the encoder reuses its buffers); use one per thread.
 */
public final class TradeCodec
{
    private final BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), TradeSchema.SCHEMA);
    private final BinaryMessageDecoder<GenericRecord> decoder = new BinaryMessageDecoder<>(GenericData.get(), TradeSchema.SCHEMA);

    public byte[] encode(Trade trade)
    {
        GenericRecord record = new GenericData.Record(TradeSchema.SCHEMA);
        record.put(0, trade.symbol());
        record.put(1, trade.price());
        record.put(2, trade.volume());
        record.put(3, trade.ts());
        record.put(4, trade.conditions());
        record.put(5, trade.source());
        record.put(6, trade.ingestTs());
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot encode trade of " + trade.symbol(), e);
        }
    }

    /**
     * Decodes one value.
     *
     * @throws TradeDecodingException when the bytes are not a trade in single-object encoding
     */
    public Trade decode(byte[] bytes)
    {
        GenericRecord record;
        try {
            record = decoder.decode(bytes);
        }
        catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new TradeDecodingException("not an Avro single-object trade record: " + e.getMessage(), e);
        }
        return new Trade(
                record.get(0).toString(),
                (Double) record.get(1),
                (Double) record.get(2),
                (Long) record.get(3),
                strings((GenericArray<?>) record.get(4)),
                record.get(5).toString(),
                (Long) record.get(6));
    }

    private static List<String> strings(GenericArray<?> array)
    {
        List<String> strings = new ArrayList<>(array.size());
        for (Object element : array) {
            strings.add(element.toString());
        }
        return strings;
    }
}
