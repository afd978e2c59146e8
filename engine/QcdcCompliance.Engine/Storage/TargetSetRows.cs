using System.Data.Common;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>
/// The stored target sets (resolutions) and their targets, read by plain SQL (see <see cref="PlainSql"/>): every
/// evaluation reads them, and in a CLI process they were among the LINQ queries whose compilation (0.19 s for the first,
/// 0.01-0.04 s for each after it) fell on the thread every phase of the run waits for (issue 16). Every mapped column
/// is read (<c>TargetSetRowsTests</c> holds the lists to the model), in the order of the keys.
/// </summary>
public static class TargetSetRows
{
    private const string ResolutionColumns = """
        "Id", "Code", "Title", "Issuer", "IssuedOn", "ValidFrom", "ValidTo", "ScopeAreaCode", "FollowsSuccessors", "ShortTitle", "DutiesJson",
        "LegalBasisJson", "ContentHash", "ImportedAt"
        """;

    private const string TargetColumns = """
        "Id", "ResolutionId", "Code", "RuleName", "NameVi", "NameEn", "Tags", "ValidFrom", "ValidTo", "CoverageMillionths", "Source", "Basis",
        "Indicators", "Population", "ThresholdOperator", "ThresholdMillionths", "Minimum", "MeasuredOver", "Periods", "Severity", "TextVi", "TextEn"
        """;

    /// <summary>Every stored set, with its targets when <paramref name="targets"/> (each target's <see cref="Target.Resolution"/> set).</summary>
    public static async Task<List<Resolution>> ResolutionsAsync(QcdcDbContext db, bool targets, CancellationToken ct)
    {
        var resolutions = await PlainSql.ListAsync(db, $"""SELECT {ResolutionColumns} FROM "Resolutions" ORDER BY "Id" """, ReadResolution, ct);
        if (!targets)
            return resolutions;
        var byId = resolutions.ToDictionary(r => r.Id);
        foreach (var target in await TargetsAsync(db, ct))
        {
            // A set deleted between the two reads leaves its targets out, as a join would.
            if (!byId.TryGetValue(target.ResolutionId, out var resolution))
                continue;
            target.Resolution = resolution;
            resolution.Targets.Add(target);
        }

        return resolutions;
    }

    /// <summary>Every stored target, without its set.</summary>
    public static Task<List<Target>> TargetsAsync(QcdcDbContext db, CancellationToken ct) =>
        PlainSql.ListAsync(db, $"""SELECT {TargetColumns} FROM "Targets" ORDER BY "ResolutionId", "Id" """, ReadTarget, ct);

    /// <summary>The columns each read names, for the test that holds them to the model.</summary>
    public static IReadOnlyList<string> ColumnsOf<T>() => PlainSql.ColumnNames(typeof(T) == typeof(Target) ? TargetColumns : ResolutionColumns);

    private static Resolution ReadResolution(DbDataReader r) => new()
    {
        Id = r.GetInt32(0), Code = r.GetString(1), Title = r.GetString(2), Issuer = r.NullableString(3), IssuedOn = r.Date(4), ValidFrom = r.NullableDate(5),
        ValidTo = r.NullableDate(6), ScopeAreaCode = r.NullableString(7), FollowsSuccessors = r.GetBoolean(8), ShortTitle = r.NullableString(9),
        DutiesJson = r.GetString(10), LegalBasisJson = r.GetString(11), ContentHash = r.GetString(12), ImportedAt = r.UtcDateTime(13),
    };

    private static Target ReadTarget(DbDataReader r) => new()
    {
        Id = r.GetInt32(0), ResolutionId = r.GetInt32(1), Code = r.GetString(2), RuleName = r.GetString(3), NameVi = r.NullableString(4),
        NameEn = r.NullableString(5), Tags = r.GetString(6), ValidFrom = r.NullableDate(7), ValidTo = r.NullableDate(8), CoverageMillionths = r.NullableInt64(9),
        Source = r.Enum<SettingSource>(10), Basis = r.NullableString(11), Indicators = r.GetString(12), Population = r.GetString(13),
        Threshold = new Threshold(r.Enum<ComparisonOperator>(14), r.GetInt64(15)), Minimum = r.NullableInt64(16), MeasuredOver = (MeasuredOver)r.GetInt32(17),
        Periods = (PeriodTypes)r.GetInt32(18), Severity = r.Enum<Severity>(19), TextVi = r.GetString(20), TextEn = r.NullableString(21),
    };
}
