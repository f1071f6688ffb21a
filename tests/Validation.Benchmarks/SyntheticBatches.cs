using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Vigil.Validation.Benchmarks;

/// <summary>
/// Deterministic synthetic batches for benchmarks and tests: the same rows, count and seed give the same bytes on
/// every machine. Texts are written the way ETL exports write them (invariant culture, two decimals for money, ISO
/// timestamps in UTC), so each column infers to one known type.
/// </summary>
public static class SyntheticBatches
{
    /// <summary>The columns of <see cref="TransactionsCsv"/>, in order.</summary>
    public static IReadOnlyList<string> TransactionColumns { get; } =
    [
        "transaction_id", "account_id", "amount", "balance_before", "balance_after",
        "currency", "booked_at", "channel", "is_international", "merchant_category",
    ];

    private static readonly string[] Currencies = ["EUR", "EUR", "EUR", "USD", "USD", "GBP", "CHF", "SEK", "JPY"];
    private static readonly string[] Channels = ["card", "card", "card", "online", "online", "mobile", "transfer", "atm", "branch"];
    private static readonly int[] MerchantCategories =
    [
        5411, 5812, 5814, 5541, 5542, 5912, 5311, 5999, 4111, 4121, 4511, 7011, 5732, 5651, 5691, 5942,
        5977, 7230, 7832, 8062, 8099, 4900, 4814, 6011, 6012, 5200, 5251, 5261, 5300, 5331, 5399, 5441,
    ];
    private static readonly string[] Statuses = ["new", "active", "active", "active", "closed", "suspended", "pending"];
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// A banking transactions batch, header plus <paramref name="rows"/> rows of 10 columns: transaction_id (unique
    /// text: String), account_id (about 1000 distinct: String), amount, balance_before, balance_after (two decimals,
    /// after = before - amount: Decimal), currency (Categorical), booked_at (ISO UTC, rising: Timestamp), channel
    /// (Categorical), is_international (Boolean), merchant_category (4-digit code: Integer).
    /// </summary>
    public static byte[] TransactionsCsv(int rows, int seed)
    {
        var output = new Output(rows * 96 + 256);
        output.Ascii(string.Join(',', TransactionColumns));
        output.Byte((byte)'\n');
        var generator = new TransactionGenerator(seed);
        for (var i = 0; i < rows; i++)
        {
            var t = generator.Next(i);
            output.Ascii(t.Id); output.Byte((byte)',');
            output.Ascii(t.Account); output.Byte((byte)',');
            output.Cents(t.AmountCents); output.Byte((byte)',');
            output.Cents(t.BeforeCents); output.Byte((byte)',');
            output.Cents(t.BeforeCents - t.AmountCents); output.Byte((byte)',');
            output.Ascii(t.Currency); output.Byte((byte)',');
            output.Timestamp(t.BookedAt); output.Byte((byte)',');
            output.Ascii(t.Channel); output.Byte((byte)',');
            output.Ascii(t.International ? "true" : "false"); output.Byte((byte)',');
            output.Integer(t.MerchantCategory); output.Byte((byte)'\n');
        }
        return output.ToArray();
    }

    /// <summary>The rows of <see cref="TransactionsCsv"/> as a JSON array of objects (numbers and booleans unquoted).</summary>
    public static byte[] TransactionsJson(int rows, int seed) => TransactionsAsJson(rows, seed, lines: false);

    /// <summary>The rows of <see cref="TransactionsCsv"/> as NDJSON, one object per line.</summary>
    public static byte[] TransactionsNdjson(int rows, int seed) => TransactionsAsJson(rows, seed, lines: true);

    /// <summary>
    /// A reconciliation-style batch: an <c>id</c> key column (1..<paramref name="rows"/>, in order) and
    /// <paramref name="columns"/> - 1 more, cycling through amount_N (Decimal), quantity_N (Integer), status_N
    /// (Categorical), name_N (String), updated_at_N (Timestamp) and flag_N (Boolean). The same seed gives the same
    /// values, so a source and a target made alike agree until one is changed.
    /// </summary>
    public static byte[] WideCsv(int rows, int columns, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var output = new Output(rows * columns * 10 + 256);
        output.Ascii(string.Join(',', WideColumns(columns)));
        output.Byte((byte)'\n');
        var random = new Random(seed);
        for (var i = 0; i < rows; i++)
        {
            output.Integer(i + 1);
            for (var k = 1; k < columns; k++)
            {
                output.Byte((byte)',');
                switch ((k - 1) % 6)
                {
                    case 0: output.Cents(random.NextInt64(-50_000, 5_000_000)); break;
                    case 1: output.Integer(random.Next(0, 1000)); break;
                    case 2: output.Ascii(Statuses[random.Next(Statuses.Length)]); break;
                    case 3: output.Ascii("name-"); output.Integer(random.Next(100_000)); break;
                    case 4: output.Timestamp(Start.AddSeconds(random.Next(0, 365 * 24 * 3600))); break;
                    default: output.Ascii(random.Next(4) == 0 ? "true" : "false"); break;
                }
            }
            output.Byte((byte)'\n');
        }
        return output.ToArray();
    }

    /// <summary>The column names of <see cref="WideCsv"/> for <paramref name="columns"/> columns.</summary>
    public static IReadOnlyList<string> WideColumns(int columns)
    {
        string[] kinds = ["amount", "quantity", "status", "name", "updated_at", "flag"];
        return [.. Enumerable.Range(0, columns).Select(k => k == 0 ? "id" : $"{kinds[(k - 1) % 6]}_{k}")];
    }

    private static byte[] TransactionsAsJson(int rows, int seed, bool lines)
    {
        var buffer = new ArrayBufferWriter<byte>(rows * 240 + 256);
        var options = new JsonWriterOptions { SkipValidation = lines };
        using var writer = new Utf8JsonWriter(buffer, options);
        var text = new Output(64);
        var generator = new TransactionGenerator(seed);
        if (!lines) writer.WriteStartArray();
        for (var i = 0; i < rows; i++)
        {
            var t = generator.Next(i);
            writer.WriteStartObject();
            writer.WriteString("transaction_id", t.Id);
            writer.WriteString("account_id", t.Account);
            WriteNumber(writer, text, "amount", t.AmountCents);
            WriteNumber(writer, text, "balance_before", t.BeforeCents);
            WriteNumber(writer, text, "balance_after", t.BeforeCents - t.AmountCents);
            writer.WriteString("currency", t.Currency);
            writer.WriteString("booked_at", t.BookedAt.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("channel", t.Channel);
            writer.WriteBoolean("is_international", t.International);
            writer.WriteNumber("merchant_category", t.MerchantCategory);
            writer.WriteEndObject();
            if (lines)
            {
                writer.Flush();
                buffer.Write("\n"u8);
                writer.Reset(buffer);
            }
        }
        if (!lines) writer.WriteEndArray();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNumber(Utf8JsonWriter writer, Output text, string name, long cents)
    {
        text.Clear();
        text.Cents(cents);
        writer.WritePropertyName(name);
        writer.WriteRawValue(text.Written, skipInputValidation: true);
    }

    private readonly record struct Transaction(
        string Id, string Account, long AmountCents, long BeforeCents, string Currency, DateTime BookedAt, string Channel,
        bool International, int MerchantCategory);

    private sealed class TransactionGenerator(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly string[] _accounts = [.. Enumerable.Range(0, 1000).Select(a => $"AC{a * 7919 % 100_000:D5}")];

        public Transaction Next(int row)
        {
            var amount = 100 + (long)(Math.Exp(_random.NextDouble() * 10) * 15);
            var before = _random.NextInt64(0, 20_000_000);
            return new Transaction(
                $"TX{row + 1:D10}",
                _accounts[_random.Next(_accounts.Length)],
                amount,
                before,
                Currencies[_random.Next(Currencies.Length)],
                Start.AddSeconds(row * 30L + _random.Next(30)),
                Channels[_random.Next(Channels.Length)],
                _random.Next(100) < 12,
                MerchantCategories[_random.Next(MerchantCategories.Length)]);
        }
    }

    /// <summary>A growable UTF-8 buffer with the few writers the generators need.</summary>
    private sealed class Output(int capacity)
    {
        private byte[] _bytes = new byte[Math.Max(capacity, 64)];
        private int _length;

        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

        public void Clear() => _length = 0;

        public void Byte(byte value)
        {
            Ensure(1);
            _bytes[_length++] = value;
        }

        public void Ascii(string text)
        {
            Ensure(text.Length);
            _length += Encoding.UTF8.GetBytes(text, _bytes.AsSpan(_length));
        }

        public void Integer(long value)
        {
            Ensure(20);
            value.TryFormat(_bytes.AsSpan(_length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            _length += written;
        }

        /// <summary>Money in cents as units with two decimals: -1234 -> "-12.34".</summary>
        public void Cents(long cents)
        {
            if (cents < 0)
            {
                Byte((byte)'-');
                cents = -cents;
            }
            Integer(cents / 100);
            Ensure(3);
            _bytes[_length++] = (byte)'.';
            _bytes[_length++] = (byte)('0' + cents % 100 / 10);
            _bytes[_length++] = (byte)('0' + cents % 10);
        }

        public void Timestamp(DateTime utc)
        {
            Ensure(32);
            utc.TryFormat(_bytes.AsSpan(_length), out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            _length += written;
        }

        public byte[] ToArray() => _bytes.AsSpan(0, _length).ToArray();

        private void Ensure(int more)
        {
            if (_length + more > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
        }
    }
}
