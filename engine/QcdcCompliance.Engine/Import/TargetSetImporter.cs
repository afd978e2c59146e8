using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>What the importer needs to know of the rules: which target codes have a rule class, and what each reads.</summary>
public interface ITargetRuleCatalogue
{
    /// <summary>The rule named <paramref name="targetCode"/>, or null when there is no such rule.</summary>
    TargetRuleInfo? DescribeRule(string targetCode);
}

/// <summary>A rule's target code as it spells it, the indicators it reads, and whether it tests a count against the target's minimum.</summary>
public sealed record TargetRuleInfo(string Code, IReadOnlyList<string> Indicators, bool NeedsMinimum);

/// <summary>
/// A target set as JSON: the resolution (code, title, issuer, issued, validFrom, validTo, scope, legalBasis) and its
/// targets (code, indicators, population, operator, threshold, minimum, measuredOver, periods, severity, textVi,
/// textEn). Problems name the target's position in <c>targets</c> as the row (0 for the resolution's own fields).
/// Re-importing a resolution replaces its targets.
/// </summary>
public static class TargetSetImporter
{
    public static async Task<ImportSummary> ImportAsync(QcdcDbContext db, string file, byte[] bytes, ImportContext context, ITargetRuleCatalogue rules, CancellationToken ct = default)
    {
        var problems = new ProblemList(file);
        var parsed = Parse(file, bytes, rules, problems);
        if (context.RestrictToAreaId is not null)
            problems.Add(0, "", "target sets can only be imported by an administrator");
        problems.ThrowIfAny();
        var (resolution, targets) = parsed!.Value;

        var codes = targets.Select(t => t.Code).ToList();
        var clashes = await db.Targets.AsNoTracking().Include(t => t.Resolution)
            .Where(t => codes.Contains(t.Code) && t.Resolution!.Code != resolution.Code)
            .Select(t => new { t.Code, Resolution = t.Resolution!.Code })
            .ToListAsync(ct);
        foreach (var clash in clashes)
            problems.Add(codes.IndexOf(clash.Code) + 1, "code", $"target {clash.Code} already belongs to resolution {clash.Resolution}; target codes are unique");
        problems.ThrowIfAny();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var stored = await db.Resolutions.Include(r => r.Targets).SingleOrDefaultAsync(r => r.Code == resolution.Code, ct);
        if (stored is not null && stored.ContentHash == resolution.ContentHash)
            return new ImportSummary(ImportKind.Targets, file, targets.Count, 0, 0, targets.Count);

        var (inserted, updated) = stored is null ? (targets.Count, 0) : (0, targets.Count);
        if (stored is null)
        {
            stored = resolution;
            db.Resolutions.Add(stored);
        }
        else
        {
            db.Targets.RemoveRange(stored.Targets);
            stored.Title = resolution.Title;
            stored.Issuer = resolution.Issuer;
            stored.IssuedOn = resolution.IssuedOn;
            stored.ValidFrom = resolution.ValidFrom;
            stored.ValidTo = resolution.ValidTo;
            stored.ScopeAreaCode = resolution.ScopeAreaCode;
            stored.LegalBasisJson = resolution.LegalBasisJson;
            stored.ContentHash = resolution.ContentHash;
            await db.SaveChangesAsync(ct);
        }

        stored.ImportedAt = context.Now;
        stored.Targets = targets;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ImportSummary(ImportKind.Targets, file, targets.Count, inserted, updated, 0);
    }

    /// <summary>Parses and checks a target set without storing it; refuses it with every problem listed.</summary>
    public static (Resolution Resolution, List<Target> Targets) ParseOrThrow(string file, byte[] bytes, ITargetRuleCatalogue rules)
    {
        var problems = new ProblemList(file);
        var parsed = Parse(file, bytes, rules, problems);
        problems.ThrowIfAny();
        return parsed!.Value;
    }

    private static (Resolution, List<Target>)? Parse(string file, byte[] bytes, ITargetRuleCatalogue rules, ProblemList problems)
    {
        if (Files.JsonText.Unreadable(bytes) is { } unreadable)
        {
            problems.Add(0, "", unreadable);
            return null;
        }

        JsonObject root;
        try
        {
            // Duplicate fields are refused while parsing: a JsonObject holding two would throw when first read.
            var options = new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false };
            root = JsonNode.Parse(bytes, documentOptions: options) as JsonObject ?? throw new JsonException("the file must hold one JSON object");
        }
        catch (JsonException e)
        {
            problems.Add(0, "", e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                ? $"a field appears twice in one object ({e.Message}); keep one"
                : $"the file is not a target set in JSON: {e.Message}");
            return null;
        }

        var top = new Fields(root, 0, problems, ["code", "title", "issuer", "issued", "validfrom", "validto", "scope", "legalbasis", "targets"]);
        var resolution = new Resolution
        {
            Code = top.Code("code") ?? "",
            Title = top.Text("title", required: true, 1000) ?? "",
            Issuer = top.Text("issuer", required: false, 256),
            IssuedOn = top.Date("issued", required: true) ?? default,
            ValidFrom = top.Date("validFrom", required: false),
            ValidTo = top.Date("validTo", required: false),
            ScopeAreaCode = top.Code("scope", required: false),
            LegalBasisJson = top.Node("legalBasis") is { } basis ? basis.ToJsonString() : "[]",
            ContentHash = "",
        };

        if (top.Node("targets") is not JsonArray array || array.Count == 0)
        {
            problems.Add(0, "targets", "targets is missing or empty; list the resolution's targets");
            return null;
        }

        var targets = new List<Target>();
        var seen = new Dictionary<string, int>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject node)
            {
                problems.Add(i + 1, "", "each target must be an object");
                continue;
            }

            var f = new Fields(node, i + 1, problems,
                ["code", "indicators", "population", "operator", "threshold", "minimum", "measuredover", "periods", "severity", "textvi", "texten"]);
            var target = ParseTarget(f, rules);
            if (target is null)
                continue;
            if (!seen.TryAdd(target.Code, i + 1))
                problems.Add(i + 1, "code", $"duplicate target {target.Code}: already at position {seen[target.Code]}");
            else
                targets.Add(target);
        }

        if (problems.Any)
            return null;
        resolution.ContentHash = Hash(resolution, targets);
        return (resolution, targets);
    }

    private static Target? ParseTarget(Fields f, ITargetRuleCatalogue rules)
    {
        var code = f.Code("code");
        var indicators = f.Strings("indicators").Select(s => s.ToUpperInvariant()).ToList();
        var populationText = f.Text("population", required: true, 64);
        var population = default(Population);
        if (populationText is not null && !Population.TryParse(populationText, out population, out var populationError))
            f.Problem("population", populationError);

        var operatorText = f.Text("operator", required: true, 4);
        var op = ComparisonOperator.AtLeast;
        if (operatorText is not null && !Threshold.TryParseOperator(operatorText, out op))
            f.Problem("operator", $"'{operatorText}' is not an operator; write >= (\"100%\", \"at least\"), > (\"trên 70%\"), <= or <");
        var thresholdText = f.Scalar("threshold");
        long millionths = 0;
        if (thresholdText is null)
            f.Problem("threshold", "threshold is missing; write the share as written in the resolution, e.g. \"100%\" or 0.7");
        else if (!Threshold.TryParseShare(thresholdText, out millionths))
            f.Problem("threshold", $"'{thresholdText}' is not a share between 0 and 100%; write e.g. \"70%\" or 0.7 (at most six decimals)");
        var minimum = f.Scalar("minimum") is { } minText
            ? Cells.TryWholeNumber(minText, out var m, out _) && m >= 0 ? m : Invalid<long?>(f, "minimum", $"'{minText}' is not a whole number ≥ 0")
            : null;
        var measuredOver = f.Flags<MeasuredOver>("measuredOver", ParseMeasuredOver);
        var periods = f.Flags<PeriodTypes>("periods", ParsePeriods);
        var severity = f.Text("severity", required: false, 16) is { } severityText ? ParseSeverity(f, severityText) : Severity.Medium;
        var textVi = f.Text("textVi", required: true, 2000);
        var textEn = f.Text("textEn", required: false, 2000);

        if (code is not null)
        {
            var rule = rules.DescribeRule(code);
            // The rule's own spelling is the target's code everywhere: "NQ02-6b", whatever the file's case.
            code = rule?.Code ?? code;
            if (rule is null)
                f.Problem("code", $"no rule is named {code}; a target needs a rule class with [Name(\"{code}\")] in the rules assembly");
            else if (!rule.Indicators.OrderBy(c => c, StringComparer.Ordinal).SequenceEqual(indicators.OrderBy(c => c, StringComparer.Ordinal)))
                f.Problem("indicators", $"rule {code} reads {(rule.Indicators.Count == 0 ? "no indicator" : string.Join(", ", rule.Indicators))}; list exactly those indicators");
            else if (rule.NeedsMinimum && minimum is null)
                f.Problem("minimum", $"rule {code} tests a count: give the least count a unit must reach, e.g. \"minimum\": 1");
        }

        foreach (var indicatorCode in indicators)
        {
            if (IndicatorCatalogue.Find(indicatorCode) is not { } indicator)
            {
                f.Problem("indicators", $"unknown indicator {indicatorCode}");
                continue;
            }

            if (indicator.PeriodType == PeriodType.Year && (periods & ~PeriodTypes.Year) != 0)
                f.Problem("periods", $"{indicator.Code} is reported per year; a target over it can only be evaluated on year periods");
            foreach (var kind in Enum.GetValues<UnitKind>())
            {
                if (population.Includes(kind, hasTradeUnion: true) && !indicator.Population.Includes(kind, hasTradeUnion: true))
                    f.Problem("population", $"{indicator.Code} does not apply to {Population.TokenOf(kind)} units; the population must be among {indicator.AppliesTo}");
            }
        }

        if (measuredOver == MeasuredOver.None)
            f.Problem("measuredOver", "measuredOver is missing; write where the target is measured: Unit, Commune, District, Province");
        if (periods == PeriodTypes.None)
            f.Problem("periods", "periods is missing; write the period types: HalfYear (S1, S2), Year");

        if (code is null || populationText is null || textVi is null || f.Failed)
            return null;
        return new Target
        {
            Code = code, Indicators = string.Join(",", indicators), Population = population.ToString(),
            Threshold = new Threshold(op, millionths), Minimum = minimum, MeasuredOver = measuredOver, Periods = periods,
            Severity = severity, TextVi = textVi, TextEn = textEn,
        };
    }

    private static T Invalid<T>(Fields f, string name, string message)
    {
        f.Problem(name, message);
        return default!;
    }

    private static MeasuredOver? ParseMeasuredOver(string text) => Text.Fold(text) switch
    {
        "unit" or "units" or "each unit" => MeasuredOver.Unit,
        "commune" => MeasuredOver.Commune,
        "district" => MeasuredOver.District,
        "province" => MeasuredOver.Province,
        _ => null,
    };

    private static PeriodTypes? ParsePeriods(string text) => Text.Fold(text) switch
    {
        "year" or "nam" => PeriodTypes.Year,
        "halfyear" or "half-year" or "s1" or "s2" => PeriodTypes.HalfYear,
        "quarter" or "q1" or "q2" or "q3" or "q4" => PeriodTypes.Quarter,
        _ => null,
    };

    private static Severity ParseSeverity(Fields f, string text)
    {
        switch (Text.Fold(text))
        {
            case "high" or "cao": return Severity.High;
            case "medium" or "trung binh": return Severity.Medium;
            case "low" or "thap": return Severity.Low;
            default:
                f.Problem("severity", $"'{text}' is not a severity; write High, Medium or Low");
                return Severity.Medium;
        }
    }

    /// <summary>SHA-256 over the parsed set in a canonical form: formatting and field order do not change it.</summary>
    private static string Hash(Resolution r, List<Target> targets)
    {
        var canonical = new StringBuilder();
        canonical.AppendLine(string.Join('|', r.Code, r.Title, r.Issuer, r.IssuedOn.ToString("O"), r.ValidFrom?.ToString("O"), r.ValidTo?.ToString("O"), r.ScopeAreaCode, r.LegalBasisJson));
        foreach (var t in targets.OrderBy(t => t.Code, StringComparer.Ordinal))
        {
            canonical.AppendLine(string.Join('|', t.Code, t.Indicators, t.Population, t.Threshold.Operator, t.Threshold.Millionths, t.Minimum,
                (int)t.MeasuredOver, (int)t.Periods, t.Severity, t.TextVi, t.TextEn));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>Reads the fields of one JSON object, names compared without case or underscores, and reports unknown ones.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, JsonNode?> _values = new();
        private readonly int _row;
        private readonly ProblemList _problems;
        private readonly long _start;

        public Fields(JsonObject node, int row, ProblemList problems, string[] known)
        {
            _row = row;
            _problems = problems;
            _start = problems.Count;
            foreach (var (name, value) in node)
            {
                var key = name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
                if (!known.Contains(key))
                    problems.Add(row, name, $"unexpected field '{name}'");
                else
                    _values[key] = value;
            }
        }

        public bool Failed => _problems.Count > _start;

        public void Problem(string name, string message) => _problems.Add(_row, name, message);

        public JsonNode? Node(string name) => _values.GetValueOrDefault(name.ToLowerInvariant());

        public string? Scalar(string name) => Node(name) switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => Import.Text.Clean(v.GetValue<string>()),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => Invalid<string?>(this, name, $"{name} must be a single value"),
        };

        public string? Text(string name, bool required, int maxLength)
        {
            var text = Scalar(name);
            if (text is null && required)
                Problem(name, $"{name} is missing");
            else if (text is not null && text.Length > maxLength)
                Problem(name, $"{name} is {text.Length} characters long; the limit is {maxLength}");
            return text;
        }

        public string? Code(string name, bool required = true)
        {
            var code = Import.Text.Code(Scalar(name));
            if (code is null)
            {
                if (required)
                    Problem(name, $"{name} is missing");
                return null;
            }

            if (!Import.Text.IsValidCode(code))
            {
                Problem(name, $"'{code}' is not a valid code; use letters, digits and - _ . /");
                return null;
            }

            return code;
        }

        public DateOnly? Date(string name, bool required)
        {
            var text = Scalar(name);
            if (text is null)
            {
                if (required)
                    Problem(name, $"{name} is missing; write a date such as 2017-05-12");
                return null;
            }

            if (Cells.TryDate(text, out var date, out var error))
                return date;
            Problem(name, error);
            return null;
        }

        public List<string> Strings(string name) => Node(name) switch
        {
            null => Invalid<List<string>>(this, name, $"{name} is missing") ?? [],
            JsonArray a => a.Select(x => Import.Text.Clean(x?.ToString()) ?? "").Where(s => s.Length > 0).ToList(),
            _ => Scalar(name) is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : [],
        };

        public T Flags<T>(string name, Func<string, T?> parse) where T : struct, Enum
        {
            var result = 0;
            foreach (var item in Node(name) is null ? [] : Strings(name))
            {
                if (parse(item) is { } flag)
                    result |= Convert.ToInt32(flag, System.Globalization.CultureInfo.InvariantCulture);
                else
                    Problem(name, $"'{item}' is not one of the {name} values");
            }

            return (T)Enum.ToObject(typeof(T), result);
        }
    }
}
