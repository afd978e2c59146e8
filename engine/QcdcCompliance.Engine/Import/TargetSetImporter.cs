using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// A target set as JSON: the resolution (code, title, shortTitle, issuer, issued, validFrom, validTo, scope,
/// followSuccessors, legalBasis) and its targets (code, rule, nameVi, nameEn, tags, indicators, population, operator,
/// threshold, minimum, coverage, measuredOver, periods, severity, source, basis, settings, textVi, textEn). Problems
/// name the target's position in <c>targets</c> as the row (0 for the resolution's own fields). A set is identified by
/// its code and the area it binds: importing it again for the area where it is stored, or one containing it, replaces
/// that copy; for an area inside it (a province's copy of a national set) it is refused, since it would unbind the rest
/// (a set stored before scopes were required reads as national, and is changed by importing it as national); the same
/// code for an area apart (a province adopting a shipped set with <c>--scope</c>) is another set. A set that would judge
/// a signed-off (area, period) otherwise is refused (<see cref="SignedTargets"/>).
/// </summary>
public static class TargetSetImporter
{
    /// <summary>The scope that binds every area: a national law.</summary>
    public const string National = "national";

    /// <summary>
    /// Stores a set, replacing its copies; refused whole when it would judge a signed-off (area, period) otherwise than it
    /// was signed (<see cref="SignedTargets"/>, with the evaluation's own choice of the sets in force from <paramref name="loader"/>).
    /// </summary>
    public static async Task<ImportSummary> ImportAsync(QcdcDbContext db, string file, byte[] bytes, ImportContext context, ITargetRuleCatalogue rules,
        Evaluation.FactLoader loader, CancellationToken ct = default)
    {
        if (context.RestrictToAreaId is not null)
        {
            var refusal = new ProblemList(file);
            refusal.Add(0, "", "target sets can only be imported by an administrator");
            refusal.ThrowIfAny();
        }

        var (resolution, targets, tree) = await CheckAsync(db, file, bytes, context.Scope, null, rules, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The sign-offs are read in this transaction, the structure held against a sign-off until it commits (SignOffTurns):
        // one that commits first is read and refuses the file, one that comes later waits for it.
        await SignOffTurns.ForStructureAsync(db, ct);
        var copies = (await db.Resolutions.Include(r => r.Targets).Where(r => r.Code == resolution.Code).ToListAsync(ct))
            .Where(r => ScopesOverlap(tree, r.ScopeAreaCode, resolution.ScopeAreaCode))
            .ToList();
        RefuseNarrowing(file, tree, resolution, targets, copies);
        var distinct = targets.Select(t => t.Code).Distinct().Count();
        if (copies is [{ } same] && same.ContentHash == resolution.ContentHash && same.ScopeAreaCode == resolution.ScopeAreaCode)
            return new ImportSummary(ImportKind.Targets, file, distinct, 0, 0, distinct);

        resolution.Targets = targets;
        // Counted before the copies are removed, against the targets they held.
        var summary = Counted(file, resolution, targets, copies);
        var stored = await Evaluation.FactLoader.StoredSetsAsync(db, ct);
        var replaced = copies.Select(c => c.Id).ToHashSet();
        await SignedTargets.RefuseChangesAsync(db, file, tree, loader, stored, stored.Where(s => !replaced.Contains(s.Id)).Append(resolution).ToList(), ct);
        // Said, not refused: a period not signed off may be judged anew, but who imports must know which ones lose targets.
        summary = summary with { Notes = [.. summary.Notes, .. await JudgedPeriods.NotesAsync(db, tree, resolution, copies, ct)] };

        // Findings refer to targets by code, never to these rows: replacing a copy loses no history.
        db.Resolutions.RemoveRange(copies);
        await db.SaveChangesAsync(ct);
        resolution.ImportedAt = context.Now;
        db.Resolutions.Add(resolution);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return summary;
    }

    /// <summary>
    /// The summary of a set stored over its copies, counted per target: new (no copy has its code), unchanged (a copy with
    /// the same own fields holds it setting for setting), else changed; the targets the set no longer holds are named in its
    /// notes. A change of the set's own fields (validity, scope, duties, legal basis, title) changes each target it held, and
    /// is said. Counted per set, one target added to a set of five read "0 new, 6 changed".
    /// </summary>
    private static ImportSummary Counted(string file, Resolution resolution, List<Target> targets, List<Resolution> copies)
    {
        var setLine = SetLine(resolution);
        var before = copies.Select(c => (Same: SetLine(c) == setLine, Targets: c.Targets.GroupBy(t => t.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, Lines, StringComparer.Ordinal))).ToList();
        int inserted = 0, updated = 0, unchanged = 0;
        foreach (var group in targets.GroupBy(t => t.Code, StringComparer.Ordinal))
        {
            var lines = Lines(group);
            if (!before.Any(b => b.Targets.ContainsKey(group.Key)))
                inserted++;
            else if (before.Any(b => b.Same && b.Targets.TryGetValue(group.Key, out var old) && old == lines))
                unchanged++;
            else
                updated++;
        }

        var notes = new List<string>();
        var removed = before.SelectMany(b => b.Targets.Keys).Distinct().Where(code => targets.All(t => t.Code != code)).Order(StringComparer.Ordinal).ToList();
        if (removed.Count > 0)
            notes.Add($"removed from the set: {string.Join(", ", removed)}");
        // Kept, not refused: the shipped set re-dated to next year keeps its old "to" settings, and its other settings hold.
        foreach (var never in SettingDates.NeverInForceOf(resolution, targets))
            notes.Add($"the setting of {never.Target} until {never.To:yyyy-MM-dd} ends before it starts ({never.From:yyyy-MM-dd}, with the set's validFrom): no period is judged by it");
        foreach (var note in YearMinimumNotes(targets))
            notes.Add(note);
        if (before.Count > 0 && !before.Any(b => b.Same))
            notes.Add("the set's own fields changed (title, issuer, validity, scope, duties or legal basis), and with them each target it held");
        return new ImportSummary(ImportKind.Targets, file, inserted + updated + unchanged, inserted, updated, unchanged) { Notes = notes };

        static string Lines(IEnumerable<Target> settings) => string.Join('\n', settings.OrderBy(t => t.ValidFrom).Select(TargetLine));
    }

    /// <summary>
    /// How the year reads a count minimum the set gives a target judged on half-years and the year: said, since the file
    /// has one <c>minimum</c> for both (<see cref="Evaluation.TargetFacts.MinimumOn"/>: twice it over the year's sum of
    /// two halves), with how to give the year a minimum of its own.
    /// </summary>
    private static IEnumerable<string> YearMinimumNotes(List<Target> targets) =>
        targets.Where(t => t.EvaluatedOn(PeriodType.HalfYear) && t.EvaluatedOn(PeriodType.Year) && t.Minimum is not null)
            .Select(t => (t.Code, Half: t.Minimum, Year: Evaluation.TargetFacts.MinimumOn(t, t.Indicators.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(IndicatorCatalogue.Find).OfType<Indicator>().ToList(), PeriodType.Year)))
            .Where(m => m.Year != m.Half)
            .Distinct()
            .Select(m => $"{m.Code}: its minimum {m.Half} is a half-year's; the year tests the sum of its two halves against {m.Year} (twice it), as QĐ 11's 12 days a half-year are 24 a year; "
                + "for a minimum of the year's own, give the year a target of its own (its own code) judged on Year alone");

    /// <summary>
    /// A target set as an import would store it, checked against the database (its scope exists, its codes are free)
    /// but not stored: with the stored sets it would replace (same code, overlapping scope) and the stored sets as they
    /// would stand after the import. What a what-if evaluates. A scope that <paramref name="mayName"/> refuses (an area
    /// outside the asker's) is refused with the words of an unknown one, so that the answer does not tell it exists.
    /// </summary>
    public static async Task<(Resolution Resolution, List<Resolution> Replaced, List<Resolution> SetsAfter)> ProposeAsync(
        QcdcDbContext db, string file, byte[] bytes, string? scope, Func<Area, bool>? mayName, ITargetRuleCatalogue rules, CancellationToken ct = default)
    {
        var (resolution, targets, tree) = await CheckAsync(db, file, bytes, scope, mayName, rules, ct);
        resolution.Targets = targets;
        var stored = await db.Resolutions.AsNoTracking().Include(r => r.Targets).ToListAsync(ct);
        var replaced = stored.Where(r => r.Code == resolution.Code && ScopesOverlap(tree, r.ScopeAreaCode, resolution.ScopeAreaCode)).ToList();
        RefuseNarrowing(file, tree, resolution, targets, replaced);
        return (resolution, replaced, stored.Except(replaced).Append(resolution).ToList());
    }

    /// <summary>
    /// The sets a proposal applied as if in force in a period takes the place of there: another set in force then that binds
    /// an overlapping area and defines one of its target codes (the resolution a new one under its own code replaces from
    /// 1 July). Beside it, both fired the code in one what-if, which failed on the key ("same key has already been added").
    /// </summary>
    public static List<Resolution> WithoutPredecessors(IEnumerable<Resolution> sets, Resolution proposal, Period period, AreaTree tree)
    {
        var codes = proposal.Targets.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
        return sets.Where(s => s == proposal || !(s.AppliesTo(period) && ScopesOverlap(tree, s.ScopeAreaCode, proposal.ScopeAreaCode)
                                                   && s.Targets.Any(t => codes.Contains(t.Code) && t.InForceFor(period)))).ToList();
    }

    /// <summary>
    /// Parses a set and checks it against the database; refuses it with every problem listed, in one pass: the areas and
    /// codes stored are checked beside the file's own mistakes (an unknown scope was said only once the rest was mended,
    /// and an officer fixing a set needed a round per kind of mistake). Only a file that cannot be read as a set at all
    /// (not JSON, no targets) stops at its first problem.
    /// </summary>
    private static async Task<(Resolution Resolution, List<Target> Targets, AreaTree Tree)> CheckAsync(
        QcdcDbContext db, string file, byte[] bytes, string? scope, Func<Area, bool>? mayName, ITargetRuleCatalogue rules, CancellationToken ct)
    {
        var problems = new ProblemList(file);
        if (Parse(file, bytes, rules, problems, scope) is not { } parsed)
        {
            problems.ThrowIfAny();
            throw new InvalidOperationException("a set that was not read has a problem listed");
        }

        var (resolution, targets, positions) = parsed;
        var tree = await db.LoadAreaTreeAsync(ct);
        if (resolution.ScopeAreaCode is { } scopeCode)
        {
            if (tree.Find(scopeCode) is not { } scopeArea || mayName?.Invoke(scopeArea) == false)
                problems.Add(0, "scope", $"unknown area {scopeCode}; import the areas first, or give the code of an area that exists ({(scope is null ? "the file's \"scope\"" : "--scope")})");
            else
                resolution.ScopeAreaCode = scopeArea.Code;
        }

        // A scope that could not be read stands as national here: its codes would clash with every set's, which is not the file's mistake.
        if (!problems.Items.Any(p => p.Row == 0 && p.Column == "scope"))
            await CheckCodesAreFreeAsync(db, tree, resolution, targets, positions, problems, ct);
        problems.ThrowIfAny();
        return (resolution, targets, tree);
    }

    /// <summary>Parses and checks a target set without storing it; refuses it with every problem listed.</summary>
    public static (Resolution Resolution, List<Target> Targets) ParseOrThrow(string file, byte[] bytes, ITargetRuleCatalogue rules, string? scope = null)
    {
        var problems = new ProblemList(file);
        var parsed = Parse(file, bytes, rules, problems, scope);
        problems.ThrowIfAny();
        return (parsed!.Value.Resolution, parsed.Value.Targets);
    }

    /// <summary>
    /// A target code names one target wherever it binds: another set in force over an overlapping time and an area
    /// that contains this one's, or is contained by it, may not define it too.
    /// </summary>
    private static async Task CheckCodesAreFreeAsync(QcdcDbContext db, AreaTree tree, Resolution resolution, List<Target> targets, Dictionary<string, int> positions,
        ProblemList problems, CancellationToken ct)
    {
        var codes = targets.Select(t => t.Code).Distinct().ToList();
        var others = await db.Targets.AsNoTracking().Include(t => t.Resolution)
            .Where(t => codes.Contains(t.Code) && t.Resolution!.Code != resolution.Code)
            .ToListAsync(ct);
        foreach (var other in others.DistinctBy(o => (o.Code, o.ResolutionId)))
        {
            var set = other.Resolution!;
            if (!Dates.Overlaps(set.ValidFrom, set.ValidTo, resolution.ValidFrom ?? DateOnly.MinValue, resolution.ValidTo ?? DateOnly.MaxValue)
                || !ScopesOverlap(tree, set.ScopeAreaCode, resolution.ScopeAreaCode))
                continue;
            problems.Add(positions.GetValueOrDefault(other.Code), "code",
                $"target {other.Code} is already defined by {set.Code} ({(set.IsNational ? "national" : "scope " + set.ScopeAreaCode)}), which binds an overlapping area and time; give this target a code of its own (it may still reuse the rule with \"rule\": \"{other.RuleName}\")");
        }
    }

    /// <summary>
    /// A copy replaces only stored copies that bind no area outside its own: a province's copy of a national law would
    /// unbind the law from every other province, a district's copy of its province's set the rest of the province. The
    /// area is bound by the stored copy already; its own settings are a set of its own reusing the rules by name.
    /// </summary>
    private static void RefuseNarrowing(string file, AreaTree tree, Resolution resolution, List<Target> targets, IEnumerable<Resolution> copies)
    {
        var problems = new ProblemList(file);
        foreach (var copy in copies.Where(c => !Contains(tree, resolution.ScopeAreaCode, c.ScopeAreaCode)))
        {
            var (scope, stored) = (resolution.ScopeAreaCode!, copy.ScopeAreaCode ?? National);
            problems.Add(0, "scope", (copy.IsNational
                    ? $"set {copy.Code} is stored as national (it binds every area, {scope} among them): a copy for {scope} would remove it from every other area"
                    : $"set {copy.Code} is stored for {stored}, which contains {scope}: a copy for {scope} would remove it from the rest of {stored}")
                + $"; {scope} is bound by it already. For targets of {scope}'s own, give your set a code of its own and its targets codes of their own, "
                + $"reusing the rules by name (\"rule\": \"{targets[0].RuleName}\"); to change the set itself, import it for {stored} (\"scope\": \"{stored}\")");
        }

        problems.ThrowIfAny();
    }

    /// <summary>Whether <paramref name="outer"/> (null: the country) binds every area <paramref name="inner"/> binds.</summary>
    private static bool Contains(AreaTree tree, string? outer, string? inner)
    {
        if (outer is null)
            return true;
        if (inner is null)
            return false;
        if (tree.Find(outer) is not { } first || tree.Find(inner) is not { } second)
            return string.Equals(outer, inner, StringComparison.OrdinalIgnoreCase);
        return tree.Subtree(first.Id).Contains(second.Id);
    }

    /// <summary>Whether two scopes (null: the country) share an area: one contains the other.</summary>
    internal static bool ScopesOverlap(AreaTree tree, string? a, string? b)
    {
        if (a is null || b is null)
            return true;
        if (tree.Find(a) is not { } first || tree.Find(b) is not { } second)
            return string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        return tree.Subtree(first.Id).Contains(second.Id) || tree.Subtree(second.Id).Contains(first.Id);
    }

    /// <summary>
    /// The set as read, with each target code's position in <c>targets</c>; null only when the file is no set at all. With
    /// problems listed it is what could be read (the targets without a mistake), for the checks against the database to
    /// list theirs in the same refusal.
    /// </summary>
    private static (Resolution Resolution, List<Target> Targets, Dictionary<string, int> Positions)? Parse(
        string file, byte[] bytes, ITargetRuleCatalogue rules, ProblemList problems, string? scopeOverride)
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
            root = JsonNode.Parse(Files.JsonText.WithoutBom(bytes).Span, documentOptions: options) as JsonObject ?? throw new JsonException("the file must hold one JSON object");
        }
        catch (JsonException e)
        {
            problems.Add(0, "", e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                ? $"a field appears twice in one object ({e.Message}); keep one"
                : $"the file is not a target set in JSON: {e.Message}");
            return null;
        }

        var top = new Fields(root, 0, problems,
            ["code", "title", "shorttitle", "issuer", "issued", "validfrom", "validto", "scope", "followsuccessors", "legalbasis", "duties", "targets"]);
        var resolution = new Resolution
        {
            Code = top.Code("code") ?? "",
            Title = top.Text("title", required: true, 1000) ?? "",
            ShortTitle = top.Text("shortTitle", required: false, 256),
            Issuer = top.Text("issuer", required: false, 256),
            IssuedOn = top.Date("issued", required: true) ?? default,
            ValidFrom = top.Date("validFrom", required: false),
            ValidTo = top.Date("validTo", required: false),
            ScopeAreaCode = ParseScope(top, scopeOverride),
            FollowsSuccessors = top.Flag("followSuccessors") ?? false,
            LegalBasisJson = ParseLegalBasis(top),
            DutiesJson = ParseDuties(top),
            ContentHash = "",
        };

        if (resolution.ValidFrom is { } from && resolution.ValidTo is { } to && to < from)
            top.Problem("validTo", $"the set ends (validTo {to:yyyy-MM-dd}) before it starts (validFrom {from:yyyy-MM-dd}), so it would bind no period; correct one of the two dates");

        if (top.Node("targets") is not JsonArray array || (array.Count == 0 && resolution.DutiesJson == "[]"))
        {
            problems.Add(0, "targets", "targets is missing or empty; list the resolution's targets");
            return null;
        }

        var targets = new List<Target>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject node)
            {
                problems.Add(i + 1, "", "each target must be an object");
                continue;
            }

            var f = new Fields(node, i + 1, problems,
                ["code", "rule", "namevi", "nameen", "tags", "indicators", "population", "operator", "threshold", "minimum", "coverage", "measuredover",
                 "periods", "severity", "source", "basis", "settings", "textvi", "texten"]);
            var (code, rows) = ParseTarget(f, rules, resolution);
            // A code is told twice whether or not either target has a mistake of its own: in one refusal with them.
            if (code is not null && !seen.TryAdd(code, i + 1))
                problems.Add(i + 1, "code", $"duplicate target {code}: already at position {seen[code]}");
            else if (rows is not null)
                targets.AddRange(rows);
        }

        resolution.ContentHash = problems.Any ? "" : Hash(resolution, targets);
        return (resolution, targets, seen);
    }

    /// <summary>The area a set binds: an area code, or "national" for the country. Never silently everywhere.</summary>
    private static string? ParseScope(Fields top, string? scopeOverride)
    {
        var text = scopeOverride is not null ? Import.Text.Clean(scopeOverride) : top.Scalar("scope");
        if (string.IsNullOrWhiteSpace(text))
        {
            top.Problem("scope", "scope is missing; write the code of the area the set binds (its subtree is bound too), or \"national\" for a law that binds every area");
            return null;
        }

        if (string.Equals(text.Trim(), National, StringComparison.OrdinalIgnoreCase))
            return null;
        var code = Import.Text.Code(text);
        if (code is null || !Import.Text.IsValidCode(code))
        {
            top.Problem("scope", $"'{text}' is not an area code; use letters, digits and - _ . /, or \"national\"");
            return null;
        }

        return code;
    }

    /// <summary>The legal basis: each text with the days it was in force and what kind of text it is.</summary>
    private static string ParseLegalBasis(Fields top)
    {
        if (top.Node("legalBasis") is not { } node)
            return "[]";
        if (node is not JsonArray items)
        {
            top.Problem("legalBasis", "legalBasis must be a list of { \"text\", \"validFrom\", \"validTo\", \"kind\" }");
            return "[]";
        }

        var result = new JsonArray();
        foreach (var item in items)
        {
            if (item is not JsonObject entry)
            {
                top.Problem("legalBasis", "each legal basis must be an object with a text");
                continue;
            }

            var f = new Fields(entry, 0, top.Problems, ["text", "validfrom", "validto", "kind", "note"], "legalBasis.");
            var text = f.Text("text", required: true, 1000);
            var from = f.Date("validFrom", required: false);
            var to = f.Date("validTo", required: false);
            var kind = f.Text("kind", required: false, 16) is { } k ? ParseSource(f, "kind", k) : SettingSource.Law;
            var note = f.Text("note", required: false, 1000);
            if (from is { } a && to is { } b && b < a)
                f.Problem("validTo", $"{text}: validTo {b:yyyy-MM-dd} is before validFrom {a:yyyy-MM-dd}");
            result.Add(new JsonObject
            {
                ["text"] = text,
                ["validFrom"] = from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["validTo"] = to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["kind"] = kind.ToString(),
                ["note"] = note,
            });
        }

        return result.ToJsonString();
    }

    /// <summary>
    /// The reporting regime's duties: <c>[{ "population": "MT", "indicators": [...], "periods": ["HalfYear"], "basis": "..." }]</c>,
    /// each checked against the catalogue (the kinds may report the indicator, on its own period type).
    /// </summary>
    private static string ParseDuties(Fields top)
    {
        if (top.Node("duties") is not { } node)
            return "[]";
        if (node is not JsonArray items)
        {
            top.Problem("duties", "duties must be a list of { \"population\", \"indicators\", \"periods\" }");
            return "[]";
        }

        var result = new JsonArray();
        foreach (var item in items)
        {
            if (item is not JsonObject entry)
            {
                top.Problem("duties", "each duty must be an object");
                continue;
            }

            var f = new Fields(entry, 0, top.Problems, ["population", "indicators", "periods", "basis"], "duties.");
            var populationText = f.Text("population", required: true, 64);
            var population = default(Population);
            if (populationText is not null && !Population.TryParse(populationText, out population, out var error))
                f.Problem("population", error);
            var codes = f.Strings("indicators").Select(c => c.ToUpperInvariant()).ToList();
            var periods = ParsePeriods(f);
            if (periods == PeriodTypes.None)
                f.Problem("periods", "periods is missing; write the period types the duty is owed on: HalfYear, Year");
            foreach (var code in codes)
            {
                if (IndicatorCatalogue.Find(code) is not { } indicator)
                {
                    f.Problem("indicators", $"unknown indicator {code}; see `qcdc indicators`");
                    continue;
                }

                if ((periods & Target.ToFlag(indicator.PeriodType)) == 0 || (periods & PeriodTypes.Quarter) != 0)
                    f.Problem("periods", $"{indicator.Code} is reported per {(indicator.PeriodType == PeriodType.Year ? "year" : "half-year")}; a duty to report it must be on those periods");
                foreach (var (kind, union) in CannotReport(population, indicator))
                    f.Problem("population", $"{Population.TokenOf(kind)} units{(union ? "" : " without a trade union")} cannot report {indicator.Code} (it applies to {indicator.AppliesTo})");
            }

            result.Add(new JsonObject
            {
                ["population"] = population.ToString(),
                ["indicators"] = new JsonArray(codes.Select(c => (JsonNode)c).ToArray()),
                ["periods"] = (int)periods,
                ["basis"] = f.Text("basis", required: false, 1000),
            });
        }

        return result.ToJsonString();
    }

    /// <summary>
    /// The target's code as the set names it (null when it has none that is valid) and one row per setting of the target
    /// (one, when its settings never changed; null when it has a mistake).
    /// </summary>
    private static (string? Code, List<Target>? Rows) ParseTarget(Fields f, ITargetRuleCatalogue rules, Resolution resolution)
    {
        var code = f.Code("code");
        var ruleName = f.Code("rule", required: false) ?? code;
        var rule = ruleName is null ? null : rules.DescribeRule(ruleName);
        if (ruleName is not null && rule is null)
            f.Problem(f.Node("rule") is null ? "code" : "rule", f.Node("rule") is null
                ? $"no rule is named {ruleName}; name a shipped rule to reuse (\"rule\": \"NQ02-6b\", or a shape: YES-NO, COUNT-AT-LEAST, RATIO, YES-NO-AND-COUNT), or add a rule class with [Name(\"{ruleName}\")]"
                : $"no rule is named {ruleName}; name a shipped rule (e.g. NQ02-6b) or a shape: YES-NO, COUNT-AT-LEAST, RATIO, YES-NO-AND-COUNT");
        // A target that is its own rule is spelled as the rule spells it: "NQ02-6b", whatever the file's case.
        if (rule is not null && f.Node("rule") is null)
            code = rule.Name;

        var indicators = f.Node("indicators") is null ? rule?.Indicators?.ToList() ?? [] : f.Strings("indicators").Select(s => s.ToUpperInvariant()).ToList();
        if (f.Node("indicators") is null && rule is { Indicators: null } && rule.CannotRead([]) is { } needs)
            f.Problem("indicators", needs);
        var populationText = f.Text("population", required: true, 64);
        var population = default(Population);
        if (populationText is not null && !Population.TryParse(populationText, out population, out var populationError))
            f.Problem("population", populationError);

        var noCount = rule is { NeedsMinimum: false } ? WhatItTests(indicators) : null;
        var basics = ParseSetting(f, f, defaults: null, rule, noCount);
        var measuredOver = f.Flags<MeasuredOver>("measuredOver", ParseMeasuredOver);
        var periods = ParsePeriods(f);
        var severity = f.Text("severity", required: false, 16) is { } severityText ? ParseSeverity(f, severityText) : Severity.Medium;
        var textVi = f.Text("textVi", required: true, 2000);
        var textEn = f.Text("textEn", required: false, 2000);
        var nameVi = f.Text("nameVi", required: false, 256);
        var nameEn = f.Text("nameEn", required: false, 256);
        var tags = f.Node("tags") is null ? [] : f.Strings("tags").Select(t => t.ToLowerInvariant()).Distinct().ToList();

        var unknown = indicators.Where(c => IndicatorCatalogue.Find(c) is null).ToList();
        foreach (var indicatorCode in unknown)
            f.Problem("indicators", $"unknown indicator {indicatorCode}; see `qcdc indicators`");
        if (rule is not null && unknown.Count == 0 && rule.CannotRead(indicators) is { } cannot)
            f.Problem("indicators", cannot);
        foreach (var indicator in indicators.Select(IndicatorCatalogue.Find).OfType<Indicator>())
        {
            if (indicator.PeriodType == PeriodType.Year && (periods & ~PeriodTypes.Year) != 0)
                f.Problem("periods", $"{indicator.Code} is reported per year; a target over it can only be evaluated on year periods");
            else if ((periods & PeriodTypes.Quarter) != 0)
                f.Problem("periods", $"{indicator.Code} is reported per half-year, not per quarter; a target over it can be evaluated on half-year and year periods: write HalfYear (S1, S2), Year");
            foreach (var (kind, union) in CannotReport(population, indicator))
                f.Problem("population", union
                    ? $"{indicator.Code} does not apply to {Population.TokenOf(kind)} units; the population must be among {indicator.AppliesTo}"
                    : $"{indicator.Code} does not apply to {Population.TokenOf(kind)} units without a trade union; the population must be among {indicator.AppliesTo} (write {Population.TokenOf(kind)}-CĐ for those with one)");
        }

        if (measuredOver == MeasuredOver.None)
            f.Problem("measuredOver", "measuredOver is missing; write where the target is measured: Unit, Commune, District, Province");
        if (periods == PeriodTypes.None)
            f.Problem("periods", "periods is missing; write the period types: HalfYear (S1, S2), Year");

        var settings = new List<Setting>();
        if (f.Node("settings") is { } settingsNode)
        {
            if (settingsNode is not JsonArray list || list.Count == 0)
                f.Problem("settings", "settings must be a list of { \"from\", \"to\", and what changes: operator, threshold, minimum, coverage, source, basis }");
            else
            {
                foreach (var item in list)
                {
                    if (item is not JsonObject entry)
                    {
                        f.Problem("settings", "each setting must be an object");
                        continue;
                    }

                    var s = new Fields(entry, f.Row, f.Problems, ["from", "to", "operator", "threshold", "minimum", "coverage", "source", "basis"], "settings.");
                    settings.Add(ParseSetting(f, s, basics, rule, noCount) with { From = s.Date("from", required: false), To = s.Date("to", required: false) });
                }

                CheckSettingsDoNotOverlap(f, settings);
            }
        }
        else
            settings.Add(basics);

        if (code is null || ruleName is null || populationText is null || textVi is null || f.Failed)
            return (code, null);
        return (code, settings.Select(setting => new Target
        {
            Code = code,
            RuleName = rule!.Name,
            NameVi = nameVi,
            NameEn = nameEn,
            Tags = string.Join(",", tags),
            Indicators = string.Join(",", indicators),
            Population = population.ToString(),
            Threshold = new Threshold(setting.Operator, setting.Millionths),
            Minimum = setting.Minimum,
            CoverageMillionths = setting.Coverage,
            MeasuredOver = measuredOver,
            Periods = periods,
            Severity = severity,
            Source = setting.Source ?? (resolution.IsNational ? SettingSource.Law : SettingSource.Resolution),
            Basis = setting.Basis,
            ValidFrom = setting.From,
            ValidTo = setting.To,
            TextVi = textVi,
            TextEn = textEn,
        }).ToList());
    }

    /// <summary>What a rule that tests no count tests, from the indicators it reads: a yes/no (or several), or a ratio of two counts.</summary>
    private static string WhatItTests(IReadOnlyList<string> indicators) =>
        indicators.Select(IndicatorCatalogue.Find).ToList() switch
        {
            var read when read.Count > 0 && read.All(i => i?.ValueType == IndicatorValueType.Boolean) => "a yes/no",
            [{ ValueType: IndicatorValueType.Count }, { ValueType: IndicatorValueType.Count }] => "a ratio of two counts",
            _ => "no count",
        };

    /// <summary>One dated setting of a target: what a later law or decision may change.</summary>
    private sealed record Setting(ComparisonOperator Operator, long Millionths, long? Minimum, long? Coverage, SettingSource? Source, string? Basis)
    {
        public DateOnly? From { get; init; }
        public DateOnly? To { get; init; }
    }

    /// <summary>
    /// Reads a setting's fields from <paramref name="s"/>, each falling back to the target's own when absent.
    /// <paramref name="noCount"/> is what the rule tests when it tests no count ("a yes/no"): a minimum is then refused.
    /// </summary>
    private static Setting ParseSetting(Fields target, Fields s, Setting? defaults, TargetRuleInfo? rule, string? noCount)
    {
        var op = defaults?.Operator ?? ComparisonOperator.AtLeast;
        if (s.Text("operator", required: defaults is null, 4) is { } operatorText && !Threshold.TryParseOperator(operatorText, out op))
            s.Problem("operator", $"'{operatorText}' is not an operator; write >= (\"100%\", \"at least\"), > (\"trên 70%\"), <= or <");
        var millionths = defaults?.Millionths ?? 0;
        var thresholdText = s.Scalar("threshold");
        var read = true;
        if (thresholdText is null && defaults is null)
            s.Problem("threshold", "threshold is missing; write the share as written in the resolution, e.g. \"100%\" or 0.7");
        else if (thresholdText is not null && !(read = Threshold.TryParseShare(thresholdText, out millionths)))
            s.Problem("threshold", $"'{thresholdText}' is not a share between 0 and 100%; write e.g. \"70%\" or 0.7 (at most six decimals)");
        // A threshold of the set's own (not one inherited from the target) that no share can meet: "> 100%", "< 0%".
        if (read && (s.Node("operator") is not null || thresholdText is not null) && new Threshold(op, millionths) is var written
            && (written is { Operator: ComparisonOperator.MoreThan, Millionths: >= Threshold.One } or { Operator: ComparisonOperator.LessThan, Millionths: <= 0 }))
        {
            s.Problem(thresholdText is null ? "operator" : "threshold", written.Operator == ComparisonOperator.MoreThan
                ? $"'{written}' can never be met: no share is more than 100%; write \">=\" with \"100%\" (every unit) or a threshold below 100%"
                : $"'{written}' can never be met: no share is less than 0%; write \"<=\" with \"0%\" (no unit) or a threshold above 0%");
        }

        var minimum = s.Scalar("minimum") is { } minText
            ? Cells.TryWholeNumber(minText, out var m, out _) && m >= 0 ? m : Invalid<long?>(s, "minimum", $"'{minText}' is not a whole number ≥ 0")
            : defaults?.Minimum;
        // Accepted and ignored, it was shown as the unit's test ("Required: at least 3" beside a yes/no).
        if (noCount is not null && s.Node("minimum") is not null)
            s.Problem("minimum", $"rule {rule!.Name} tests {noCount}; minimum does not apply: remove it (only a rule that tests a count, such as COUNT-AT-LEAST, reads a minimum)");
        if (rule is { NeedsMinimum: true } && minimum is null && (defaults is not null || s.Node("settings") is null))
            target.Problem("minimum", $"rule {rule.Name} tests a count: give the least count a unit must reach, e.g. \"minimum\": 1");
        var coverage = defaults?.Coverage;
        if (s.Scalar("coverage") is { } coverageText)
        {
            if (Threshold.TryParseShare(coverageText, out var c))
                coverage = c;
            else
                s.Problem("coverage", $"'{coverageText}' is not a share between 0 and 100%; write the least share of units that must have reported, e.g. \"95%\"");
        }

        var source = s.Text("source", required: false, 16) is { } sourceText ? ParseSource(s, "source", sourceText) : defaults?.Source;
        var basis = s.Text("basis", required: false, 2000) ?? defaults?.Basis;
        return new Setting(op, millionths, minimum, coverage, source, basis);
    }

    /// <summary>
    /// The kinds a population counts that cannot report the indicator, each once: with <c>union</c> false when only those
    /// without a trade union cannot (<c>DN</c> for <c>CLA_SIGNED</c>, which the catalogue asks of <c>DN-CĐ</c>). Checked with a
    /// union alone, <c>DN</c> passed, and enterprises without one owed a figure the values import refuses, "not reported" forever.
    /// </summary>
    private static IEnumerable<(UnitKind Kind, bool Union)> CannotReport(Population population, Indicator indicator)
    {
        foreach (var kind in Enum.GetValues<UnitKind>())
        {
            if (population.Includes(kind, hasTradeUnion: true) && !indicator.Population.Includes(kind, hasTradeUnion: true))
                yield return (kind, true);
            else if (population.Includes(kind, hasTradeUnion: false) && !indicator.Population.Includes(kind, hasTradeUnion: false))
                yield return (kind, false);
        }
    }

    private static void CheckSettingsDoNotOverlap(Fields f, List<Setting> settings)
    {
        var ordered = settings.OrderBy(s => s.From ?? DateOnly.MinValue).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var (from, to) = (ordered[i].From ?? DateOnly.MinValue, ordered[i].To ?? DateOnly.MaxValue);
            if (to < from)
                f.Problem("settings", $"a setting ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})");
            if (i > 0 && (ordered[i - 1].To ?? DateOnly.MaxValue) >= from)
                f.Problem("settings", $"two settings are in force on {from:yyyy-MM-dd}; give each a \"from\" after the previous one's \"to\"");
        }
    }

    private static SettingSource ParseSource(Fields f, string name, string text)
    {
        switch (Text.Fold(text))
        {
            case "law" or "luat" or "party" or "dang": return SettingSource.Law;
            case "resolution" or "nghi quyet": return SettingSource.Resolution;
            case "committee" or "ban chi dao": return SettingSource.Committee;
            default:
                f.Problem(name, $"'{text}' is not a source; write law (a law, decree or Party regulation states it), resolution (the set's own document does) or committee (no primary text: the committee's setting)");
                return SettingSource.Committee;
        }
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

    /// <summary>
    /// The period types of <c>periods</c>. A target or duty is judged on a period type, never on one half of the year, so
    /// <c>S1</c> and <c>S2</c> are written together (as <c>HalfYear</c>); one alone is refused, not read as both halves,
    /// which judged the half it left out and read a changed set as unchanged.
    /// </summary>
    private static PeriodTypes ParsePeriods(Fields f)
    {
        var periods = f.Flags<PeriodTypes>("periods", ParsePeriods);
        var halves = f.Node("periods") is null ? [] : f.Strings("periods").Select(Text.Fold).Where(t => t is "s1" or "s2").Distinct().ToList();
        if (halves.Count == 1)
            f.Problem("periods", $"'{halves[0].ToUpperInvariant()}' alone is not a period type: a half-year target is judged on both halves of the year, "
                + "never on one; write HalfYear (or S1, S2) or Year");
        return periods;
    }

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
        canonical.AppendLine(SetLine(r));
        foreach (var t in targets.OrderBy(t => t.Code, StringComparer.Ordinal).ThenBy(t => t.ValidFrom))
            canonical.AppendLine(TargetLine(t));

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>The set's own fields in the canonical form of <see cref="Hash"/>.</summary>
    private static string SetLine(Resolution r) =>
        string.Join('|', r.Code, r.Title, r.ShortTitle, r.Issuer, r.IssuedOn.ToString("O"), r.ValidFrom?.ToString("O"), r.ValidTo?.ToString("O"),
            r.ScopeAreaCode ?? National, r.FollowsSuccessors, r.LegalBasisJson, r.DutiesJson);

    /// <summary>One setting of a target in the canonical form of <see cref="Hash"/>: what tells a changed target from an unchanged one.</summary>
    private static string TargetLine(Target t) =>
        string.Join('|', t.Code, t.RuleName, t.NameVi, t.NameEn, t.Tags, t.Indicators, t.Population, t.Threshold.Operator, t.Threshold.Millionths,
            t.Minimum, t.CoverageMillionths, (int)t.MeasuredOver, (int)t.Periods, t.Severity, t.Source, t.Basis, t.ValidFrom?.ToString("O"), t.ValidTo?.ToString("O"),
            t.TextVi, t.TextEn);

    /// <summary>Reads the fields of one JSON object, names compared without case or underscores, and reports unknown ones.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, JsonNode?> _values = new();
        private readonly long _start;
        private readonly string _prefix;

        public Fields(JsonObject node, int row, ProblemList problems, string[] known, string prefix = "")
        {
            Row = row;
            Problems = problems;
            _prefix = prefix;
            _start = problems.Count;
            foreach (var (name, value) in node)
            {
                var key = name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
                if (!known.Contains(key))
                    problems.Add(row, prefix + name, $"unexpected field '{name}'");
                else
                    _values[key] = value;
            }
        }

        public int Row { get; }

        public ProblemList Problems { get; }

        public bool Failed => Problems.Count > _start;

        public void Problem(string name, string message) => Problems.Add(Row, _prefix + name, message);

        public bool? Flag(string name) => Node(name) switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
            JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
            _ => Invalid<bool?>(this, name, $"{name} must be true or false"),
        };

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
                Problem(name, Import.Text.InvisibleInCode(code) ?? Import.Text.LookAlikeInCode(code) ?? $"'{code}' is not a valid code; use letters, digits and - _ . /");
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
