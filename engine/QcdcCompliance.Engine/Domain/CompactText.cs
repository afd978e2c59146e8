using System.Buffers.Binary;
using System.Text;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace QcdcCompliance.Domain;

/// <summary>
/// Text stored compactly (issue 16): a finding's evidence and an e-mail's bodies are stored as one Zstandard frame
/// each, compressed with a dictionary trained on what the product writes (the evidence's keys, tests, legal bases; the
/// e-mails' wording and markup), so that the part rows share is stored once, in the dictionary, and a row keeps what
/// is its own (about 60-100 bytes instead of 1-2.5 KB). Lossless: <see cref="Unpack"/> gives back the exact text, so the
/// chain hash, the explanation, the API, the CSV and the e-mail that goes out are byte for byte what they were.
/// <para>
/// A frame names its dictionary by id; dictionaries are only ever added (a later one for new wording), never changed
/// or removed, so every row written stays readable. A value that is not a Zstandard frame is UTF-8 text as rows were
/// stored before (migration <c>CompactEvidenceAndBodies</c> changed the column's type, not its rows).
/// </para>
/// <para>
/// A finding's evidence is held packed from the moment it is built (<see cref="Finding.PackedEvidence"/>): a first run
/// of 400,000 findings keeps 25 MB of it in memory instead of 800 MB of text.
/// </para>
/// <para>The dictionaries are in <c>Domain/Dictionaries</c>; <c>scripts/train-dictionaries.sh</c> makes them again from a database.</para>
/// </summary>
public sealed class CompactText
{
    /// <summary>A finding's evidence (JSON).</summary>
    public static readonly CompactText Evidence = new("evidence", 1601);

    /// <summary>An outbox message's text and HTML bodies.</summary>
    public static readonly CompactText Mail = new("mail", 1602);

    // Level 1: an area finding's lists of units (2020 of the heavy profile: 208 evidences, 70 MB of JSON) compress in a
    // third of level 3's time (142 against 388-422 ms) into 5% more bytes (5.1 against 4.9 MB); a unit's evidence in
    // 1.20 against 1.40 us, 121 against 119 bytes (measured with ZstdSharp on the profile's evidences, 05/12). Frames of
    // any level read the same.
    private const int Level = 1;
    private static readonly byte[] Magic = [0x28, 0xB5, 0x2F, 0xFD];

    private readonly uint _newest;
    private readonly Dictionary<uint, byte[]> _dictionaries;

    // The dictionaries digested once and shared by every thread (Zstandard's CDict and DDict are read-only): loading a
    // dictionary into a context digests it again for every frame, which took six times the compression itself (a
    // province's 200,000 e-mails and 400,000 evidences). The frames are byte for byte those of a loaded dictionary.
    private readonly Lazy<Prepared> _compressWith;
    private readonly Dictionary<uint, Lazy<Prepared>> _decompressWith;
    private static readonly ThreadLocal<Context> Contexts = new(() => new Context());

    private CompactText(string name, params uint[] ids)
    {
        _dictionaries = ids.ToDictionary(id => id, id => Load($"{name}-{id}.zdict"));
        _newest = ids[^1];
        _compressWith = new(() => Prepared.ForCompression(_dictionaries[_newest]));
        _decompressWith = ids.ToDictionary(id => id, id => new Lazy<Prepared>(() => Prepared.ForDecompression(_dictionaries[id])));
    }

    /// <summary>The text as stored: one Zstandard frame compressed with the newest dictionary.</summary>
    public byte[] Pack(string text) => Pack(Encoding.UTF8.GetBytes(text));

    /// <summary>UTF-8 text as stored.</summary>
    public byte[] Pack(ReadOnlySpan<byte> utf8) => Contexts.Value!.Compress(utf8, _compressWith.Value);

    /// <summary>Whether two stored values hold the same text (the same bytes, or, written with another dictionary or as text, the same text).</summary>
    public bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b) || Unpack(a) == Unpack(b);

    /// <summary>The exact text a stored value holds: decompressed with the dictionary its frame names, or UTF-8 text as stored before.</summary>
    public string Unpack(byte[] stored) => Encoding.UTF8.GetString(UnpackUtf8(stored));

    /// <summary>The text a stored value holds as UTF-8, for a reader that need not turn it into a string (the stored value itself when it is not a frame).</summary>
    public byte[] UnpackUtf8(byte[] stored)
    {
        if (!IsFrame(stored))
            return stored;
        var id = DictionaryId(stored);
        if (id == 0)
            return Contexts.Value!.Decompress(stored, null, null);
        return _decompressWith.TryGetValue(id, out var dictionary)
            ? Contexts.Value!.Decompress(stored, dictionary.Value, _dictionaries[id])
            : throw new InvalidDataException($"stored text names compression dictionary {id}, which this build does not have");
    }

    /// <summary>Whether a stored value is a Zstandard frame (UTF-8 text never starts with these bytes: 0xB5 cannot follow '(').</summary>
    public static bool IsFrame(ReadOnlySpan<byte> stored) => stored.StartsWith(Magic);

    /// <summary>The dictionary id a frame's header names (RFC 8878, 3.1.1.1), 0 when none.</summary>
    public static uint DictionaryId(ReadOnlySpan<byte> frame)
    {
        var descriptor = frame[4];
        var singleSegment = (descriptor & 0x20) != 0;
        var at = 5 + (singleSegment ? 0 : 1);
        return (descriptor & 0x03) switch
        {
            1 => frame[at],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(frame[at..]),
            3 => BinaryPrimitives.ReadUInt32LittleEndian(frame[at..]),
            _ => 0,
        };
    }

    private static byte[] Load(string file)
    {
        var assembly = typeof(CompactText).Assembly;
        using var stream = assembly.GetManifestResourceStream("QcdcCompliance.Domain.Dictionaries." + file)
                           ?? throw new InvalidOperationException($"compression dictionary {file} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A dictionary digested for compression (at <see cref="Level"/>) or decompression, kept for the process's life.</summary>
    private sealed unsafe class Prepared
    {
        private Prepared(nint handle) => Handle = handle;

        public nint Handle { get; }

        public static Prepared ForCompression(byte[] dictionary)
        {
            fixed (byte* d = dictionary)
                return new Prepared((nint)Methods.ZSTD_createCDict(d, (nuint)dictionary.Length, Level));
        }

        public static Prepared ForDecompression(byte[] dictionary)
        {
            fixed (byte* d = dictionary)
                return new Prepared((nint)Methods.ZSTD_createDDict(d, (nuint)dictionary.Length));
        }
    }

    /// <summary>One thread's compression and decompression contexts, freed with the thread.</summary>
    private sealed unsafe class Context
    {
        private readonly ZSTD_CCtx_s* _compress = Methods.ZSTD_createCCtx();
        private readonly ZSTD_DCtx_s* _decompress = Methods.ZSTD_createDCtx();
        private byte[] _buffer = new byte[4096];

        ~Context()
        {
            Methods.ZSTD_freeCCtx(_compress);
            Methods.ZSTD_freeDCtx(_decompress);
        }

        public byte[] Compress(ReadOnlySpan<byte> text, Prepared dictionary)
        {
            var bound = (int)Methods.ZSTD_compressBound((nuint)text.Length);
            if (_buffer.Length < bound)
                _buffer = new byte[Math.Max(bound, _buffer.Length * 2)];
            nuint written;
            fixed (byte* source = text)
            fixed (byte* target = _buffer)
                written = Methods.ZSTD_compress_usingCDict(_compress, target, (nuint)_buffer.Length, source, (nuint)text.Length, (ZSTD_CDict_s*)dictionary.Handle);
            Check(written);
            return _buffer.AsSpan(0, (int)written).ToArray();
        }

        /// <summary>A frame whose size its header gives, straight into its array; any other (none is written so) by the streaming decoder.</summary>
        public byte[] Decompress(byte[] frame, Prepared? dictionary, byte[]? raw)
        {
            ulong size;
            fixed (byte* source = frame)
                size = Methods.ZSTD_getFrameContentSize(source, (nuint)frame.Length);
            if (dictionary is null || size > int.MaxValue)
            {
                using var streaming = new Decompressor();
                if (raw is not null)
                    streaming.LoadDictionary(raw);
                return streaming.Unwrap(frame).ToArray();
            }

            var text = new byte[(int)size];
            nuint written;
            fixed (byte* source = frame)
            fixed (byte* target = text)
                written = Methods.ZSTD_decompress_usingDDict(_decompress, target, (nuint)text.Length, source, (nuint)frame.Length, (ZSTD_DDict_s*)dictionary.Handle);
            Check(written);
            return (int)written == text.Length ? text : text[..(int)written];
        }

        private static void Check(nuint result)
        {
            if (Methods.ZSTD_isError(result))
                throw new InvalidDataException($"Zstandard: {Methods.ZSTD_getErrorName(result)}");
        }
    }
}
