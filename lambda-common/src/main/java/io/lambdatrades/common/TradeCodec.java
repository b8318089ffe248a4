package io.lambdatrades.common;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.generic.GenericArray;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Avro single-object encoding of {@link Trade}: the marker {@code C3 01}, the schema's 8-byte
 * fingerprint (little endian), then the Avro binary body. Any Avro reader with the schema decodes it.
 * Instances are not thread safe (the encoder reuses its buffers); use one per thread.
 */
public final class TradeCodec
{
    private static final byte[] HEADER = header();

    private final BinaryMessageDecoder<GenericRecord> decoder = new BinaryMessageDecoder<>(GenericData.get(), TradeSchema.SCHEMA);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
    private BinaryEncoder encoder;

    /** Writes the fields in schema order straight to Avro's encoder: no GenericRecord, one copy. */
    public byte[] encode(Trade trade)
    {
        buffer.reset();
        buffer.writeBytes(HEADER);
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            encoder.writeString(trade.symbol());
            encoder.writeDouble(trade.price());
            encoder.writeDouble(trade.volume());
            encoder.writeLong(trade.ts());
            encoder.writeArrayStart();
            encoder.setItemCount(trade.conditions().size());
            for (String condition : trade.conditions()) {
                encoder.startItem();
                encoder.writeString(condition);
            }
            encoder.writeArrayEnd();
            encoder.writeString(trade.source());
            encoder.writeLong(trade.ingestTs());
            encoder.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot encode trade of " + trade.symbol(), e);
        }
        return buffer.toByteArray();
    }

    private static byte[] header()
    {
        ByteBuffer header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0xC3).put((byte) 0x01).putLong(TradeSchema.FINGERPRINT);
        return header.array();
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
