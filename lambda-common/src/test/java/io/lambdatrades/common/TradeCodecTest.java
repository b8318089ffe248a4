package io.lambdatrades.common;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TradeCodecTest
{
    private static final String EXPECTED_FINGERPRINT_HEX = "bc66ea5dd3f05c6c";

    private final TradeCodec codec = new TradeCodec();

    @Test
    void roundTripsEveryField()
    {
        Trade trade = new Trade("BINANCE:BTCUSDT", 7296.89, 0.011467, 1575526691134L, List.of("1", "12"), "finnhub", 1575526691200L);

        assertThat(codec.decode(codec.encode(trade))).isEqualTo(trade);
    }

    @Test
    void roundTripsZeroVolumeAndNoConditions()
    {
        Trade trade = new Trade("OANDA:EUR_USD", 1.08345, 0.0, 1_700_000_000_000L, List.of(), "simulate", 1_700_000_000_001L);

        assertThat(codec.decode(codec.encode(trade))).isEqualTo(trade);
    }

    @Test
    void valuesCarryTheSingleObjectHeaderWithTheSchemaFingerprint()
    {
        byte[] bytes = codec.encode(new Trade("AAPL", 192.93, 100, 1703624240726L, List.of("1"), "finnhub", 1703624240800L));

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(TradeSchema.FINGERPRINT);
    }

    @Test
    void fingerprintIsTheCrc64OfTheParsingFormAndStable()
    {
        Schema reparsed = new Schema.Parser().parse(TradeSchema.SCHEMA.toString());

        assertThat(TradeSchema.FINGERPRINT).isEqualTo(SchemaNormalization.parsingFingerprint64(reparsed));
        // Changing the schema changes every value's header: this constant makes that a visible decision.
        assertThat(Long.toHexString(TradeSchema.FINGERPRINT)).isEqualTo(EXPECTED_FINGERPRINT_HEX);
    }

    @Test
    void aPlainAvroReaderDecodesTheBodyAfterTheHeader()
            throws IOException
    {
        Trade trade = new Trade("MSFT", 374.52, 25, 1703624240900L, List.of("12", "37"), "replay", 1703624241000L);
        byte[] bytes = codec.encode(trade);

        GenericRecord record = new GenericDatumReader<GenericRecord>(TradeSchema.SCHEMA)
                .read(null, DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 10, bytes.length), null));

        assertThat(record.get("symbol").toString()).isEqualTo("MSFT");
        assertThat(record.get("price")).isEqualTo(374.52);
        assertThat(record.get("ts")).isEqualTo(1703624240900L);
        assertThat(record.get("ingest_ts")).isEqualTo(1703624241000L);
    }

    @Test
    void encodingEqualsAvrosOwnSingleObjectEncoder()
            throws IOException
    {
        Trade trade = new Trade("OANDA:EUR_USD", 1.0834, 0, 1703624240900L, List.of("a", "b"), "simulate", 1703624241000L);
        GenericRecord record = new GenericData.Record(TradeSchema.SCHEMA);
        record.put("symbol", trade.symbol());
        record.put("price", trade.price());
        record.put("volume", trade.volume());
        record.put("ts", trade.ts());
        record.put("conditions", trade.conditions());
        record.put("source", trade.source());
        record.put("ingest_ts", trade.ingestTs());
        ByteBuffer avro = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), TradeSchema.SCHEMA).encode(record);
        byte[] expected = new byte[avro.remaining()];
        avro.get(expected);

        assertThat(codec.encode(trade)).isEqualTo(expected);
    }

    @Test
    void garbageIsRefusedWithADecodingError()
    {
        assertThatThrownBy(() -> codec.decode("{\"p\":1}".getBytes()))
                .isInstanceOf(TradeDecodingException.class)
                .hasMessageStartingWith("not an Avro single-object trade record");
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(TradeDecodingException.class);
    }

    @Test
    void exchangeAndInstrumentSplitAtTheFirstColon()
    {
        assertThat(trade("BINANCE:BTCUSDT").exchange()).isEqualTo("BINANCE");
        assertThat(trade("BINANCE:BTCUSDT").instrument()).isEqualTo("BTCUSDT");
        assertThat(trade("AAPL").exchange()).isEmpty();
        assertThat(trade("AAPL").instrument()).isEqualTo("AAPL");
        assertThat(trade("A:B:C").exchange()).isEqualTo("A");
        assertThat(trade("A:B:C").instrument()).isEqualTo("B:C");
    }

    private static Trade trade(String symbol)
    {
        return new Trade(symbol, 1, 1, 1_700_000_000_000L, List.of(), "simulate", 1_700_000_000_000L);
    }
}
