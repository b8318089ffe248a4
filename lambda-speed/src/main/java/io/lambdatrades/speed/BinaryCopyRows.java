package io.lambdatrades.speed;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY format: no number or time is printed by us and parsed back by
 * the server, which the text format spent most of a large batch's write on.
 */
final class BinaryCopyRows
{
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    private static final int TEXT_OID = 25;

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    BinaryCopyRows(int expectedBytes)
    {
        bytes = new ByteArrayOutputStream(expectedBytes);
        out = new DataOutputStream(bytes);
        write(() -> {
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
        });
    }

    BinaryCopyRows row(int fields)
    {
        return write(() -> out.writeShort(fields));
    }

    BinaryCopyRows integer(int value)
    {
        return write(() -> {
            out.writeInt(4);
            out.writeInt(value);
        });
    }

    BinaryCopyRows bigint(long value)
    {
        return write(() -> {
            out.writeInt(8);
            out.writeLong(value);
        });
    }

    BinaryCopyRows float8(double value)
    {
        return write(() -> {
            out.writeInt(8);
            out.writeDouble(value);
        });
    }

    BinaryCopyRows text(String value)
    {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return write(() -> {
            out.writeInt(utf8.length);
            out.write(utf8);
        });
    }

    /** timestamptz: microseconds since 2000-01-01 UTC. */
    BinaryCopyRows timestamp(long epochMillis)
    {
        return bigint((epochMillis - POSTGRES_EPOCH_MILLIS) * 1000);
    }

    /** text[] with one dimension (none when empty), no nulls. */
    BinaryCopyRows textArray(List<String> elements)
    {
        byte[][] utf8 = new byte[elements.size()][];
        int length = elements.isEmpty() ? 12 : 20;
        for (int i = 0; i < utf8.length; i++) {
            utf8[i] = elements.get(i).getBytes(StandardCharsets.UTF_8);
            length += 4 + utf8[i].length;
        }
        int size = length;
        return write(() -> {
            out.writeInt(size);
            out.writeInt(elements.isEmpty() ? 0 : 1);
            out.writeInt(0);
            out.writeInt(TEXT_OID);
            if (!elements.isEmpty()) {
                out.writeInt(elements.size());
                out.writeInt(1);
            }
            for (byte[] element : utf8) {
                out.writeInt(element.length);
                out.write(element);
            }
        });
    }

    BinaryCopyRows nullValue()
    {
        return write(() -> out.writeInt(-1));
    }

    /** The COPY's input: the rows and the trailer. */
    InputStream finish()
    {
        write(() -> out.writeShort(-1));
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private BinaryCopyRows write(Write write)
    {
        try {
            write.run();
            return this;
        }
        catch (IOException e) {
            // A byte array does not fail to grow short of memory.
            throw new UncheckedIOException(e);
        }
    }

    private interface Write
    {
        void run()
                throws IOException;
    }
}
