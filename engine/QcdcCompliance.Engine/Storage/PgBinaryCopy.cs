using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace QcdcCompliance.Storage;

/// <summary>
/// Rows for PostgreSQL's binary COPY, encoded here and sent through Npgsql's raw COPY stream. Npgsql's importer binds a
/// parameter for every value written (its type resolved, its size measured, a write that may be asynchronous): for the
/// 400,353 findings of 20 columns of a province's first run, about a second of the client's processor time, on a
/// machine whose two cores the server's own insert and the building of the findings need as well. The format is the
/// server's (a signature and two empty words, then each row's field count and each field's length and bytes,
/// big-endian, and -1 at the end), for the types the model stores, each written as Npgsql writes it: integer, bigint,
/// smallint, boolean, text and varchar (UTF-8, the client encoding Npgsql sets), bytea, date and timestamptz (days and
/// microseconds since 2000-01-01; the minimum and maximum values as -infinity and infinity; any other time must be UTC).
/// Dispose without <see cref="CompleteAsync"/> cancels the COPY: nothing written reaches the table.
/// </summary>
public sealed class PgBinaryCopy : IAsyncDisposable
{
    // Sent in pieces of about 32 KB: the buffer starts small (a change of one value writes a few rows) and stays under the
    // large-object heap's 85,000 bytes unless one value is larger.
    private const int FlushAt = 1 << 15;
    private const long EpochTicks = 630822816000000000L;
    private static readonly int EpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly NpgsqlRawCopyStream _stream;
    private readonly short _fields;
    private byte[] _buffer = new byte[4096];
    private int _used;
    private int _written;
    private bool _done;

    private PgBinaryCopy(NpgsqlRawCopyStream stream, int fields)
    {
        _stream = stream;
        _fields = checked((short)fields);
        Header.CopyTo(_buffer, 0);
        _used = Header.Length;
    }

    /// <summary>Starts <c>COPY table (columns) FROM STDIN (FORMAT BINARY)</c>; the table and columns as they go into the statement (quoted).</summary>
    public static async Task<PgBinaryCopy> BeginAsync(NpgsqlConnection connection, string table, IReadOnlyCollection<string> columns, CancellationToken ct) =>
        new(await connection.BeginRawBinaryCopyAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", ct), columns.Count);

    /// <summary>A row, whose fields follow in the columns' order, one call each.</summary>
    public void StartRow()
    {
        Room(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), _fields);
        _used += 2;
        _written = 0;
    }

    public void Null() => Length(-1);

    public void Int16(short value)
    {
        Length(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), value);
        _used += 2;
    }

    public void Int32(int value)
    {
        Length(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), value);
        _used += 4;
    }

    public void Int64OrNull(long? value)
    {
        if (value is { } v)
            Int64(v);
        else
            Null();
    }

    public void Int64(long value)
    {
        Length(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_used), value);
        _used += 8;
    }

    public void Boolean(bool value)
    {
        Length(1);
        _buffer[_used++] = value ? (byte)1 : (byte)0;
    }

    public void TextOrNull(string? value)
    {
        if (value is null)
            Null();
        else
            Text(value);
    }

    public void Text(string value)
    {
        Room(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), written);
        _used += 4 + written;
        _written++;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Length(value.Length);
        value.CopyTo(_buffer.AsSpan(_used));
        _used += value.Length;
    }

    public void Date(DateOnly value) =>
        Int32(value == DateOnly.MaxValue ? int.MaxValue : value == DateOnly.MinValue ? int.MinValue : value.DayNumber - EpochDay);

    public void TimestampTz(DateTime value)
    {
        if (value.Ticks == DateTime.MaxValue.Ticks || value.Ticks == DateTime.MinValue.Ticks)
        {
            Int64(value.Ticks == DateTime.MaxValue.Ticks ? long.MaxValue : long.MinValue);
            return;
        }

        if (value.Kind != DateTimeKind.Utc)
            throw new ArgumentException($"Cannot write DateTime with Kind={value.Kind} to PostgreSQL type 'timestamp with time zone', only UTC is supported.", nameof(value));
        Int64((value.Ticks - EpochTicks) / 10);
    }

    /// <summary>After each row: checks it has a field for every column, and sends what is buffered once it is large enough.</summary>
    public ValueTask EndRowAsync(CancellationToken ct)
    {
        if (_written != _fields)
            throw new InvalidOperationException($"The row has {_written} field(s) where the COPY names {_fields} columns.");
        return _used >= FlushAt ? FlushAsync(ct) : ValueTask.CompletedTask;
    }

    /// <summary>Ends the COPY: the rows are in the table (in the connection's transaction, if any).</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        Room(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), -1);
        _used += 2;
        await FlushAsync(ct);
        _done = true;
        await _stream.DisposeAsync();
    }

    /// <summary>
    /// Given up without <see cref="CompleteAsync"/>: cancels the COPY, so nothing written reaches the table. When the
    /// connection broke under it (the database gone: the error the caller is raising, which its retry classifies), there is
    /// nothing left to cancel, and that failure must not replace the caller's error: the connection is broken either way,
    /// and its transaction is not committed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_done)
            return;
        _done = true;
        try
        {
            await _stream.CancelAsync();
            await _stream.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or ObjectDisposedException or InvalidOperationException or IOException)
        {
        }
    }

    private async ValueTask FlushAsync(CancellationToken ct)
    {
        await _stream.WriteAsync(_buffer.AsMemory(0, _used), ct);
        _used = 0;
    }

    private void Length(int length)
    {
        Room(4 + Math.Max(length, 0));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), length);
        _used += 4;
        _written++;
    }

    private void Room(int bytes)
    {
        if (_used + bytes > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + bytes));
    }
}

/// <summary>The PostgreSQL types <see cref="PgBinaryCopy"/> writes.</summary>
public enum PgColumnType
{
    Other,
    Int16,
    Int32,
    Int64,
    Boolean,
    Text,
    Bytes,
    Date,
    TimestampTz,
}

public static class PgColumnTypes
{
    /// <summary>A column's type as the model names it (<c>integer</c>, <c>character varying(64)</c>, ...).</summary>
    public static PgColumnType Of(string storeType)
    {
        var name = storeType.Split('(')[0].Trim().ToLowerInvariant();
        return name switch
        {
            "smallint" or "int2" => PgColumnType.Int16,
            "integer" or "int" or "int4" => PgColumnType.Int32,
            "bigint" or "int8" => PgColumnType.Int64,
            "boolean" or "bool" => PgColumnType.Boolean,
            "text" or "character varying" or "varchar" => PgColumnType.Text,
            "bytea" => PgColumnType.Bytes,
            "date" => PgColumnType.Date,
            "timestamp with time zone" or "timestamptz" => PgColumnType.TimestampTz,
            _ => PgColumnType.Other,
        };
    }
}
