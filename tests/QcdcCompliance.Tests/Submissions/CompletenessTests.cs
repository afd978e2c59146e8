using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Import;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// When each unit last stored a value of the period, and so whether a complete report came in on time or late, read for an
/// area whose units lie together in ids (the province: its span of ids is read in one pass) and for one whose units are
/// scattered among others' (a commune listed at the two ends of the units file: looked up by its ids).
/// </summary>
public sealed class CompletenessTests
{
    private const string Period = "2020S1";

    /// <summary>Twenty enterprises of another commune between the commune's first units and its last.</summary>
    private static readonly string MoreUnits = Province.UnitsHeader
        + string.Concat(Enumerable.Range(1, 20).Select(i => $"F{i:00},Công ty Phụ {i:00},NonStateEnterprise,C3,false,10,,,\n"))
        + "DN9,Công ty Chín,NonStateEnterprise,C1,true,30,,,\n";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Each_unit_is_dated_by_its_last_stored_value_whether_its_area_lies_together_in_ids_or_scattered(string provider)
    {
        // Before the deadline of 2020S1 (20/07/2020, Asia/Ho_Chi_Minh), then after it.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 9, 0, 0, TimeSpan.FromHours(7)));
        await using var engine = await (provider == "Sqlite" ? Engine.SqliteAsync(clock) : Engine.PostgresAsync("completeness", clock)).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Units, "more-units.csv", MoreUnits);
        var completeness = engine.Services.GetRequiredService<CompletenessQueries>();
        var owed = (await completeness.ForAreaAsync(Period, "C1")).Units.ToDictionary(u => u.UnitCode, u => u.Missing);
        owed.Keys.Should().Contain(["XA1", "DN1", "DN9"]);
        await using (var db = engine.Db())
        {
            var ids = await db.Units.Where(u => u.Code == "XA1" || u.Code == "DN9").Select(u => u.Id).ToListAsync();
            (ids.Max() - ids.Min() + 1).Should().BeGreaterThan(CompletenessQueries.SpanReadPerUnit * owed.Count, "C1's units are scattered over the ids");
        }

        // XA1 and DN1 report all they owe before the deadline, DN9 half of it; then DN1 corrects one value after the
        // deadline, and DN9 reports the rest.
        string Rows(string unit, IEnumerable<string> indicators, string value) =>
            string.Concat(indicators.Select(i => $"{unit},{Period},{i},{value},\n"));
        await engine.ImportAsync(ImportKind.Values, "on-time.csv", Province.ValuesHeader + Rows("XA1", owed["XA1"], "1") + Rows("DN1", owed["DN1"], "1")
                                                                 + Rows("DN9", owed["DN9"].Take(owed["DN9"].Count / 2), "1"));
        clock.SetUtcNow(new DateTimeOffset(2020, 8, 3, 14, 0, 0, TimeSpan.FromHours(7)));
        await engine.ImportAsync(ImportKind.Values, "late.csv", Province.ValuesHeader + Rows("DN1", owed["DN1"].Take(1), "0")
                                                                 + Rows("DN9", owed["DN9"].Skip(owed["DN9"].Count / 2), "1"));

        Dictionary<string, DateTime> stored;
        await using (var db = engine.Db())
        {
            stored = (await (from v in db.DataValues
                             join u in db.Units on v.UnitId equals u.Id
                             join p in db.Periods on v.PeriodId equals p.Id
                             where p.Code == Period
                             select new { u.Code, v.StoredAt }).ToListAsync())
                .GroupBy(v => v.Code).ToDictionary(g => g.Key, g => g.Max(v => v.StoredAt));
        }

        foreach (var area in new[] { "P", "C1" })
        {
            var units = (await completeness.ForAreaAsync(Period, area)).Units.ToDictionary(u => u.UnitCode);
            units.Keys.Should().Contain(["XA1", "DN1", "DN9"]);
            foreach (var unit in units.Values)
            {
                unit.LastStoredAt.Should().Be(stored.TryGetValue(unit.UnitCode, out var at) ? at : null, $"{unit.UnitCode} in {area}'s view");
                unit.LastStoredAt?.Kind.Should().Be(DateTimeKind.Utc);
            }

            units["XA1"].State.Should().Be(SubmissionState.OnTime, $"in {area}'s view XA1 stored all it owes by the deadline");
            units["DN1"].State.Should().Be(SubmissionState.OnTime, $"in {area}'s view DN1 first reported every value by the deadline, and only corrected one after it");
            units["DN9"].State.Should().Be(SubmissionState.Late, $"in {area}'s view DN9 first reported half of what it owes after the deadline");
            units["DN1"].LastStoredAt.Should().Be(new DateTime(2020, 8, 3, 7, 0, 0, DateTimeKind.Utc));
            units["DN9"].LastStoredAt.Should().Be(new DateTime(2020, 8, 3, 7, 0, 0, DateTimeKind.Utc));
            units["XA1"].LastStoredAt.Should().Be(new DateTime(2020, 7, 10, 2, 0, 0, DateTimeKind.Utc));
        }

        // The year reads its halves' values too.
        var year = (await completeness.ForAreaAsync("2020", "C1")).Units.ToDictionary(u => u.UnitCode);
        year["DN1"].LastStoredAt.Should().Be(new DateTime(2020, 8, 3, 7, 0, 0, DateTimeKind.Utc));
    }
}
