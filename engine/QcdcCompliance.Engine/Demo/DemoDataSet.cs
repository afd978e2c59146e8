using System.Globalization;
using System.Text;
using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Demo;

public sealed record AreaRow(string Code, string Name, string Level, string? ParentCode, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record LineageRow(string PredecessorCode, string SuccessorCode, DateOnly EffectiveFrom);

public sealed record UnitRow(string Code, string Name, string Kind, string AreaCode, bool HasTradeUnion, int Headcount, string? ContactEmail, DateOnly? ActiveFrom, DateOnly? ActiveTo);

public sealed record ValueRow(string UnitCode, string Period, string Indicator, string Value, string? Comment = null);

/// <summary>A generated data set, in the shape of the import files.</summary>
public sealed class DemoDataSet
{
    public List<AreaRow> Areas { get; } = [];
    public List<LineageRow> Lineage { get; } = [];
    public List<UnitRow> Units { get; } = [];
    public List<ValueRow> Values { get; } = [];

    public string AreasCsv() => Csv("code,name,level,parent_code,valid_from,valid_to",
        Areas.Select(a => new[] { a.Code, a.Name, a.Level, a.ParentCode, Date(a.ValidFrom), Date(a.ValidTo) }));

    public string LineageCsv() => Csv("predecessor_code,successor_code,effective_from",
        Lineage.Select(l => new[] { l.PredecessorCode, l.SuccessorCode, Date(l.EffectiveFrom) }));

    public string UnitsCsv() => Csv("code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to",
        Units.Select(u => new[]
        {
            u.Code, u.Name, u.Kind, u.AreaCode, u.HasTradeUnion ? "true" : "false",
            u.Headcount.ToString(CultureInfo.InvariantCulture), u.ContactEmail, Date(u.ActiveFrom), Date(u.ActiveTo),
        }));

    public string ValuesCsv() => Csv("unit_code,period,indicator,value,comment",
        Values.Select(v => new[] { v.UnitCode, v.Period, v.Indicator, v.Value, v.Comment }));

    /// <summary>Writes areas.csv, lineage.csv, units.csv and values.csv (UTF-8, no BOM, LF).</summary>
    public IReadOnlyList<string> WriteCsv(string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new (string Name, string Text)[]
        {
            ("areas.csv", AreasCsv()), ("lineage.csv", LineageCsv()), ("units.csv", UnitsCsv()), ("values.csv", ValuesCsv()),
        };
        foreach (var (name, text) in files)
            File.WriteAllText(Path.Combine(folder, name), text, new UTF8Encoding(false));
        return files.Select(f => Path.GetFullPath(Path.Combine(folder, f.Name))).ToList();
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An import file: the header, then the rows, through the product's one CSV writer.</summary>
    public static string Csv(string header, IEnumerable<string?[]> rows) => CsvWriter.Text(csv =>
    {
        csv.Row(header.Split(','));
        foreach (var row in rows)
            csv.Row(row);
    });
}
