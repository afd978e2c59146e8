using System.Buffers.Binary;
using System.Text;
using ZstdSharp;

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

    private const int Level = 3;
    private static readonly byte[] Magic = [0x28, 0xB5, 0x2F, 0xFD];

    private readonly uint _newest;
    private readonly Dictionary<uint, byte[]> _dictionaries;
    private readonly ThreadLocal<Compressor> _compressor;
    private readonly ThreadLocal<Dictionary<uint, Decompressor>> _decompressors;

    private CompactText(string name, params uint[] ids)
    {
        _dictionaries = ids.ToDictionary(id => id, id => Load($"{name}-{id}.zdict"));
        _newest = ids[^1];
        _compressor = new(() =>
        {
            var compressor = new Compressor(Level);
            compressor.LoadDictionary(_dictionaries[_newest]);
            return compressor;
        });
        _decompressors = new(() => []);
    }

    /// <summary>The text as stored: one Zstandard frame compressed with the newest dictionary.</summary>
    public byte[] Pack(string text) => Pack(Encoding.UTF8.GetBytes(text));

    /// <summary>UTF-8 text as stored.</summary>
    public byte[] Pack(ReadOnlySpan<byte> utf8) => _compressor.Value!.Wrap(utf8).ToArray();

    /// <summary>Whether two stored values hold the same text (the same bytes, or, written with another dictionary or as text, the same text).</summary>
    public bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b) || Unpack(a) == Unpack(b);

    /// <summary>The exact text a stored value holds: decompressed with the dictionary its frame names, or UTF-8 text as stored before.</summary>
    public string Unpack(byte[] stored)
    {
        if (!IsFrame(stored))
            return Encoding.UTF8.GetString(stored);
        var id = DictionaryId(stored);
        var decompressors = _decompressors.Value!;
        if (!decompressors.TryGetValue(id, out var decompressor))
        {
            decompressor = new Decompressor();
            if (id != 0)
            {
                decompressor.LoadDictionary(_dictionaries.TryGetValue(id, out var dictionary)
                    ? dictionary
                    : throw new InvalidDataException($"stored text names compression dictionary {id}, which this build does not have"));
            }

            decompressors[id] = decompressor;
        }

        return Encoding.UTF8.GetString(decompressor.Unwrap(stored));
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
}
