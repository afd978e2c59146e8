using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// A SHA-256 of everything a full evaluation of a scope is a function of: the rule-set version (the rules' assembly
/// and the content of every set in force with the area it binds), this engine's build (which loads the facts and writes
/// the evidence), the period, the scope, the path of every area in it (ids, codes, names, levels), which periods its
/// values are read from, and every row the load reads: each unit active on the period's last day in the scope's areas (id, code,
/// name, kind, trade union, area, contact), each of their values of those periods (of a year's halves, those the year reads), and for a year which of them opened
/// in its second half, and the reports it carries of units closed during it (<see cref="CarriedReports"/>). What a unit owes and missed, and
/// its readings, follow from these and the targets, so two loads with the same fingerprint produce the same findings,
/// area results and evidence: a run whose fingerprint equals the scope's last full run's changed nothing.
/// Taken from the rows as read (<see cref="FactLoader.FingerprintAsync"/>), so that a run over unchanged data is found
/// without building a report; the rows are hashed in id order whatever order the database returns them in.
/// </summary>
public sealed class InputFingerprint : IDisposable
{
    private static readonly Guid EngineBuild = typeof(InputFingerprint).Assembly.ManifestModule.ModuleVersionId;

    private readonly Writer _writer = new();

    // Each unit's fields as they are hashed, one after the other in blocks (never copied to grow), and where each unit's
    // are: hashed in id order at the end.
    private const int BlockSize = 1 << 20;
    private readonly List<byte[]> _blocks = [new byte[BlockSize]];
    private byte[] _rows;
    private int _rowsUsed;
    private readonly List<(int Id, int Block, int Start, int Length)> _units = [];
    private readonly List<ValueRow> _values = [];
    private readonly List<int> _secondHalfOnly = [];
    private readonly List<UnitReport> _carried = [];

    // A year's first and second half, whose values count only where the year reads them.
    private readonly int[] _halves = [-1, -1];

    public InputFingerprint(string ruleSetVersion, Period period, bool earlyWarning, Area scope, Dictionary<int, IReadOnlyList<AreaRef>> paths)
    {
        _rows = _blocks[0];
        _writer.Text(ruleSetVersion);
        _writer.Bytes(EngineBuild.ToByteArray());
        _writer.Text(period.Code);
        _writer.Number(period.Start.DayNumber);
        _writer.Number(period.End.DayNumber);
        _writer.Number(period.Deadline.DayNumber);
        // Before the deadline an area finding carries an early warning, after it none: the same facts either side differ.
        _writer.Number(earlyWarning ? 1 : 0);
        _writer.Number(scope.Id);
        _writer.Text(scope.Code);
        _writer.Text(scope.Name);
        _writer.Number(paths.Count);
        foreach (var (areaId, path) in paths.OrderBy(p => p.Key))
        {
            _writer.Number(areaId);
            _writer.Number(path.Count);
            foreach (var area in path)
            {
                _writer.Number(area.Id);
                _writer.Text(area.Code);
                _writer.Text(area.Name);
                _writer.Number((long)area.Level);
            }
        }

    }

    /// <summary>
    /// The periods the values are read from, by slot (0 the period itself; for a year, 1 and 2 its halves); before any row.
    /// </summary>
    public void Sources(IEnumerable<(int Slot, int PeriodId)> sources)
    {
        foreach (var (slot, periodId) in sources.OrderBy(s => s.Slot))
        {
            _writer.Number(slot);
            _writer.Number(periodId);
            if (slot is 1 or 2)
                _halves[slot - 1] = periodId;
        }
    }

    /// <summary>Units read so far.</summary>
    public int Units => _units.Count;

    /// <summary>A unit's row laid out as hashed, its texts given as UTF-8, as stored (SQLite, PostgreSQL) or encoded from the reader's strings (SQL Server).</summary>
    public void Unit(int id, ReadOnlySpan<byte> code, ReadOnlySpan<byte> name, ReadOnlySpan<byte> kind, bool tradeUnion, int areaId, ReadOnlySpan<byte> contact,
        bool contactIsNull)
    {
        // A unit's fields stay in one block: a new block when they might not fit.
        var most = (7 * 8) + code.Length + name.Length + kind.Length + contact.Length;
        if (_rowsUsed + most > _rows.Length)
        {
            _blocks.Add(_rows = new byte[Math.Max(BlockSize, most)]);
            _rowsUsed = 0;
        }

        var start = _rowsUsed;
        Number(id);
        Text(code);
        Text(name);
        Text(kind);
        Number(tradeUnion ? 1 : 0);
        Number(areaId);
        if (contactIsNull)
            Number(-1);
        else
            Text(contact);
        _units.Add((id, _blocks.Count - 1, start, _rowsUsed - start));
    }

    /// <summary>A year: the units that were in its second half only (their year sums a half-year count over that half alone).</summary>
    public void SecondHalfOnly(IEnumerable<int> units) => _secondHalfOnly.AddRange(units);

    /// <summary>
    /// A year: a carried report (<see cref="CarriedReports"/>), as loaded (its unit, the area it counts in, its values):
    /// a first-half count of a unit closed since changes the year's sums.
    /// </summary>
    public void Carried(UnitReport report) => _carried.Add(report);

    /// <summary>
    /// A value read; one of a unit not among those read is left out, as the load leaves it out, and so is a year's value
    /// of a half that the year does not read (<see cref="Indicator.ReadByYearFrom"/>: a first half's state or yes/no),
    /// which changes none of its figures.
    /// </summary>
    public void Value(int unitId, int periodId, int indicatorId, long value)
    {
        var half = periodId == _halves[0] ? 1 : periodId == _halves[1] ? 2 : 0;
        if (half == 0 || IndicatorCatalogue.Find(indicatorId)?.ReadByYearFrom(half) == true)
            _values.Add(new ValueRow(unitId, periodId, indicatorId, value));
    }

    public string Finish()
    {
        _units.Sort((a, b) => a.Id.CompareTo(b.Id));
        _writer.Number(_units.Count);
        var known = new HashSet<int>(_units.Count);
        foreach (var (id, block, start, length) in _units)
        {
            _writer.Raw(_blocks[block].AsSpan(start, length));
            known.Add(id);
        }

        _values.RemoveAll(v => !known.Contains(v.UnitId));
        _values.Sort();
        _writer.Number(_values.Count);
        foreach (var value in _values)
        {
            _writer.Number(value.UnitId);
            _writer.Number(value.PeriodId);
            _writer.Number(value.IndicatorId);
            _writer.Number(value.Value);
        }

        _secondHalfOnly.Sort();
        _writer.Number(_secondHalfOnly.Count);
        foreach (var id in _secondHalfOnly)
            _writer.Number(id);

        _carried.Sort((a, b) => a.Unit.Id.CompareTo(b.Unit.Id));
        _writer.Number(_carried.Count);
        foreach (var report in _carried)
        {
            _writer.Number(report.Unit.Id);
            _writer.Text(report.Unit.Code);
            _writer.Text(report.Unit.Name);
            _writer.Number((long)report.Unit.Kind);
            _writer.Number(report.Unit.HasTradeUnion ? 1 : 0);
            _writer.Number(report.Unit.Path[0].Id);
            _writer.Text(report.Unit.ContactEmail);
            _writer.Number(report.Packed.Length);
            foreach (var packed in report.Packed)
                _writer.Number(packed);
        }

        return _writer.Finish();
    }

    public void Dispose() => _writer.Dispose();

    private void Number(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_rows.AsSpan(_rowsUsed), value);
        _rowsUsed += 8;
    }

    /// <summary>As <see cref="Writer.Text"/> writes a text: its UTF-8 length, then its bytes.</summary>
    private void Text(ReadOnlySpan<byte> utf8)
    {
        Number(utf8.Length);
        utf8.CopyTo(_rows.AsSpan(_rowsUsed));
        _rowsUsed += utf8.Length;
    }

    private readonly record struct ValueRow(int UnitId, int PeriodId, int IndicatorId, long Value) : IComparable<ValueRow>
    {
        public int CompareTo(ValueRow other)
        {
            var c = UnitId.CompareTo(other.UnitId);
            if (c == 0)
                c = PeriodId.CompareTo(other.PeriodId);
            return c != 0 ? c : IndicatorId.CompareTo(other.IndicatorId);
        }
    }

    /// <summary>Length-prefixed fields into SHA-256, through a small buffer.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;

        public void Number(long value)
        {
            Room(8);
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_used), value);
            _used += 8;
        }

        public void Text(string? text)
        {
            if (text is null)
            {
                Number(-1);
                return;
            }

            var length = Encoding.UTF8.GetByteCount(text);
            Number(length);
            if (length > _buffer.Length)
            {
                Flush();
                _hash.AppendData(Encoding.UTF8.GetBytes(text));
                return;
            }

            Room(length);
            _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
        }

        /// <summary>Bytes already laid out as fields.</summary>
        public void Raw(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length - _used)
            {
                Flush();
                _hash.AppendData(bytes);
                return;
            }

            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        public void Bytes(byte[] bytes)
        {
            Number(bytes.Length);
            Flush();
            _hash.AppendData(bytes);
        }

        public string Finish()
        {
            Flush();
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        private void Room(int bytes)
        {
            if (_used + bytes > _buffer.Length)
                Flush();
        }

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }

        public void Dispose() => _hash.Dispose();
    }
}
