using System.Globalization;
using System.Text;
using CsCheck;
using MiniExcelLibs;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// Property-based fuzzing of the import parsers with CsCheck: random bytes, and valid files mutated the ways files get
/// damaged (cut, spliced, a quote or a NUL or a combining accent dropped in, a line doubled). Whatever the bytes,
/// <see cref="ImportProbe"/> checks the import succeeded whole or was refused with problems and nothing stored; any
/// other exception fails and CsCheck shrinks it to a small file and prints its seed. The number of cases is bounded
/// for CI (<c>QCDC_FUZZ_ITER</c> raises it, <c>QCDC_FUZZ_SEED</c> replays a failure).
/// </summary>
public sealed class ImportFuzzTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("QCDC_FUZZ_ITER"), CultureInfo.InvariantCulture, out var n) ? n : 250;
    private static readonly string? Seed = Environment.GetEnvironmentVariable("QCDC_FUZZ_SEED");

    private static readonly ImportKind[] Kinds = [ImportKind.Areas, ImportKind.Lineage, ImportKind.Units, ImportKind.Values, ImportKind.Targets];
    private static readonly string[] Extensions = [".csv", ".xlsx", ".json", ".txt", ""];

    /// <summary>Fragments that break parsers: quoting, separators, line ends, encodings, escapes, numbers and words at their edges.</summary>
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\"", ",", ";", "\t", "\n", "\r\n", "\r", "=", "'", "{", "}", "[", "]", ":", " ", "\u00A0", "\u200B", "\u0301", "Đ", "ồ", "\\u0000", "\\ud800",
            "\\\"", "null", "true", "có", "không", "NaN", "1e999", "-1", "1.327.453", "99999999999999999999999", "2020S1", "2020", "2019-13-45", "31/12/2019",
            "XA1", "C1", "P", "REGULATION_ISSUED", "NonStateEnterprise", "=cmd|' /C calc'!A0", "'; DROP TABLE \"Units\"; --", new string('x', 300),
        }.Select(Encoding.UTF8.GetBytes),
        [0], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xC3], [0xFF], [0xED, 0xA0, 0x80],
    ];

    private static readonly Lazy<(ImportKind Kind, string File, byte[] Bytes)[]> ValidFiles = new(() =>
    [
        (ImportKind.Values, "values.csv", Encoding.UTF8.GetBytes(Province.ValuesHeader +
            "XA1,2020S1,REGULATION_ISSUED,true,đã ban hành\nXA2,2020S1,DIALOGUE_CONFERENCES,2,\nDN1,2020S1,REGULATION_ISSUED,có,\"ghi chú, có dấu phẩy\"\n")),
        (ImportKind.Values, "values.json", Encoding.UTF8.GetBytes(
            """[{"unit_code":"XA1","period":"2020S1","indicator":"REGULATION_ISSUED","value":true},{"unit_code":"XA3","period":"2020S1","indicator":"MEDIATION_CASES","value":12,"comment":null}]""")),
        (ImportKind.Values, "values.xlsx", Sheet([["unit_code", "period", "indicator", "value"], ["XA1", "2020S1", "REGULATION_ISSUED", true], ["XA3", "2020S1", "MEDIATION_CASES", 7]])),
        (ImportKind.Units, "units.csv", Encoding.UTF8.GetBytes(Province.UnitsHeader +
            "DN7,Công ty Bảy,NonStateEnterprise,C1,true,12,dn7@example.vn,2020-01-01,\nCQ9,\"Phòng \"\"Tư pháp\"\"\",CQ,D2,có,8,,01/01/2019,31/12/2030\n")),
        (ImportKind.Units, "units.json", Encoding.UTF8.GetBytes(
            """{"rows":[{"code":"DN8","name":"Công ty Tám","kind":"DN","area_code":"C2","has_trade_union":false,"headcount":3,"contact_email":null,"active_from":null,"active_to":null}]}""")),
        (ImportKind.Areas, "areas.csv", Encoding.UTF8.GetBytes(Province.Areas + "C4,Xã Bốn,Commune,D2,,2025-06-30\nC4,Xã Bốn,Commune,P,2025-07-01,\n")),
        (ImportKind.Lineage, "lineage.csv", Encoding.UTF8.GetBytes("predecessor_code,successor_code,effective_from\nC9,C3,2020-01-01\n")),
        (ImportKind.Targets, QcdcRules.TargetSets().First().Name, QcdcRules.TargetSets().First().Content),
    ]);

    private sealed record Mutation(int Op, double At, int Length, int Token)
    {
        public override string ToString() => $"{Op}@{At:0.000}/{Length}/{Token}";
    }

    private static readonly Gen<Mutation> MutationGen =
        from op in Gen.Int[0, 5]
        from at in Gen.Double[0, 1]
        from length in Gen.Int[0, 48]
        from token in Gen.Int[0, Tokens.Length - 1]
        select new Mutation(op, at, length, token);

    [Fact]
    public async Task Random_bytes_of_any_kind_and_format_are_refused_whole_or_stored_whole()
    {
        await using var engine = await ProvinceAsync(() => Engine.SqliteAsync());
        var gen = from kind in Gen.Int[0, Kinds.Length - 1]
                  from extension in Gen.Int[0, Extensions.Length - 1]
                  from bytes in Gen.Byte.Array[0, 1024]
                  select (Kind: Kinds[kind], File: "fuzz" + Extensions[extension], Bytes: bytes);

        await gen.SampleAsync(async f => await ImportProbe.ImportAsync(engine, f.Kind, f.File, f.Bytes),
            iter: Iterations, threads: 1, seed: Seed, print: f => $"{f.Kind} {f.File} {Show(f.Bytes)}");
    }

    [Theory]
    [InlineData("Sqlite", 2)]
    [InlineData("Postgres", 1)]
    public async Task Valid_files_damaged_at_random_are_refused_whole_or_stored_whole(string provider, int share)
    {
        await using var engine = await ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("fuzz"));
        var gen = from seed in Gen.Int[0, ValidFiles.Value.Length - 1]
                  from mutations in MutationGen.Array[1, 6]
                  select (Seed: seed, Mutations: mutations);

        await gen.SampleAsync(async m =>
        {
            var (kind, file, bytes) = ValidFiles.Value[m.Seed];
            await ImportProbe.ImportAsync(engine, kind, file, Mutate(bytes, m.Mutations));
        }, iter: Iterations * share, threads: 1, seed: Seed,
            print: m => $"{ValidFiles.Value[m.Seed].File} [{string.Join(", ", m.Mutations.AsEnumerable())}] {Show(Mutate(ValidFiles.Value[m.Seed].Bytes, m.Mutations))}");
    }

    [Fact]
    public async Task Workbooks_with_random_cells_are_refused_whole_or_stored_whole()
    {
        await using var engine = await ProvinceAsync(() => Engine.SqliteAsync());
        var text = Gen.Int[0, Tokens.Length - 1].Array[0, 4].Select(t => Encoding.UTF8.GetString(t.SelectMany(i => Tokens[i]).ToArray()));
        var words = Gen.OneOf<object>("XA1", "DN1", "2020S1", "REGULATION_ISSUED", "C1", "D2", "P", "Commune", "NonStateEnterprise", "true", "2020-01-01", "");
        var cell = Gen.OneOf(text.Select(s => (object)s), Gen.Long.Select(l => (object)l), Gen.Double[-1e12, 1e12].Select(d => (object)d), Gen.Bool.Select(b => (object)b), words);
        var gen = from kind in Gen.OneOf(ImportKind.Units, ImportKind.Values, ImportKind.Areas)
                  from rows in cell.Array[1, 10].Array[0, 8]
                  select (Kind: kind, Rows: rows);

        await gen.SampleAsync(async w =>
        {
            var header = w.Kind switch
            {
                ImportKind.Units => Province.UnitsHeader,
                ImportKind.Values => Province.ValuesHeader,
                _ => Province.Areas.Split('\n')[0],
            };
            object[][] sheet = [header.Trim().Split(','), .. w.Rows];
            await ImportProbe.ImportAsync(engine, w.Kind, "fuzz.xlsx", Sheet(sheet));
        }, iter: Iterations / 2, threads: 1, seed: Seed, print: w => $"{w.Kind} {string.Join(" / ", w.Rows.Select(r => string.Join("|", r)))}");
    }

    private static async Task<Engine> ProvinceAsync(Func<Task<Engine>> create)
    {
        var engine = await create().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        return engine;
    }

    private static byte[] Mutate(byte[] original, Mutation[] mutations)
    {
        var bytes = new List<byte>(original);
        foreach (var m in mutations)
        {
            var at = Math.Min(bytes.Count, (int)(m.At * bytes.Count));
            switch (m.Op)
            {
                case 0: // cut a piece out
                    bytes.RemoveRange(at, Math.Min(m.Length, bytes.Count - at));
                    break;
                case 1: // drop a token in
                case 2:
                    bytes.InsertRange(at, Tokens[m.Token]);
                    break;
                case 3: // double a piece
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(m.Length, bytes.Count - at)));
                    break;
                case 4: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default: // overwrite a byte
                    if (at < bytes.Count)
                        bytes[at] = (byte)(m.Length * 37 + m.Token);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] Sheet(object[][] rows)
    {
        var width = rows.Max(r => r.Length);
        var stream = new MemoryStream();
        stream.SaveAs(rows.Select(r => (IDictionary<string, object?>)Enumerable.Range(0, width).ToDictionary(i => $"c{i}", i => i < r.Length ? r[i] : (object?)null)),
            printHeader: false, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static string Show(byte[] bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes.Take(400))
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
        return (bytes.Length > 400 ? $"({bytes.Length} bytes) " : "") + text;
    }
}
