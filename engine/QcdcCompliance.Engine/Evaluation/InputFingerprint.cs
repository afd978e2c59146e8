using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// A SHA-256 of everything a full evaluation of a scope is a function of: the rule-set version (the rules' assembly
/// and the content of every set in force with the area it binds), this engine's build (which writes the evidence),
/// the period, the scope, and every unit's report as loaded (its id, code, name, kind, trade union, contact, area path
/// with the areas' codes and names, what it owed and did not report, and its values). Two loads with the same
/// fingerprint produce the same findings, area results and evidence, so a run whose fingerprint equals the scope's
/// last full run's need not fire, build or compare anything: it changed nothing.
/// </summary>
public static class InputFingerprint
{
    private static readonly Guid EngineBuild = typeof(InputFingerprint).Assembly.ManifestModule.ModuleVersionId;

    public static string Of(ScopeFacts facts)
    {
        using var writer = new Writer();
        writer.Text(facts.RuleSetVersion);
        writer.Bytes(EngineBuild.ToByteArray());
        var period = facts.Period;
        writer.Text(period.Code);
        writer.Number(period.Start.DayNumber);
        writer.Number(period.End.DayNumber);
        writer.Number(period.Deadline.DayNumber);
        writer.Number(facts.Scope.Id);
        writer.Text(facts.Scope.Code);
        writer.Text(facts.Scope.Name);
        writer.Number(facts.Reports.Count);
        foreach (var report in facts.Reports)
        {
            var unit = report.Unit;
            writer.Number(unit.Id);
            writer.Number(report.Index);
            writer.Text(unit.Code);
            writer.Text(unit.Name);
            writer.Number((long)unit.Kind);
            writer.Number(unit.HasTradeUnion ? 1 : 0);
            writer.Text(unit.ContactEmail);
            writer.Number(unit.Path.Count);
            foreach (var area in unit.Path)
            {
                writer.Number(area.Id);
                writer.Text(area.Code);
                writer.Text(area.Name);
                writer.Number((long)area.Level);
            }

            writer.Number(report.Owed);
            writer.Number(report.Missing.Count);
            foreach (var missing in report.Missing)
                writer.Text(missing);
            var values = report.Packed;
            writer.Number(values.Length);
            foreach (var value in values)
                writer.Number(value);
        }

        return writer.Finish();
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
