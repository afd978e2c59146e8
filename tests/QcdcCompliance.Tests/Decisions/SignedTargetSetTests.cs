using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>
/// A sign-off locks how its (area, period) is judged: a target-set import that would change a target binding the signed
/// area for the period is refused whole, naming the sign-off; one that leaves the period alone goes through.
/// </summary>
public sealed class SignedTargetSetTests(ITestOutputHelper output)
{
    private const string Kpis = "committee-kpis.json";

    // 7 of 10 mediations settled in each commune of D1 and in D2's: exactly 70%, met by ">= 70%", short of "> 70%".
    private const string Mediations = Province.ValuesHeader +
        """
        XA1,2020S1,MEDIATION_CASES,10,
        XA1,2020S1,MEDIATION_SUCCESSES,7,
        XA2,2020S1,MEDIATION_CASES,10,
        XA2,2020S1,MEDIATION_SUCCESSES,7,
        XA3,2020S1,MEDIATION_CASES,10,
        XA3,2020S1,MEDIATION_SUCCESSES,7,

        """;

    /// <summary>The committee's KPIs as shipped (adopted by P), with <paramref name="edit"/> applied to the JSON text.</summary>
    private static byte[] KpiSet(Func<string, string> edit)
    {
        var json = Encoding.UTF8.GetString(QcdcCompliance.Rules.QcdcRules.TargetSets().Single(t => t.Name == Kpis).Content);
        var edited = edit(json);
        edited.Should().NotBe(json, "the edit must change the set");
        return Encoding.UTF8.GetBytes(edited);
    }

    /// <summary>KPI-MEDIATION's "&gt;= 70%" as "&gt; 70%" (the probe's change).</summary>
    private static string StrictMediation(string json) => Mediation(json, "\"operator\": \">\", \"threshold\": 0.7,");

    private static string Mediation(string json, string setting)
    {
        var at = json.IndexOf("\"code\": \"KPI-MEDIATION\"", StringComparison.Ordinal);
        var threshold = json.IndexOf("\"operator\": \">=\",", at, StringComparison.Ordinal);
        var end = json.IndexOf("\"threshold\": 0.7,", threshold, StringComparison.Ordinal) + "\"threshold\": 0.7,".Length;
        return json[..threshold] + setting + json[end..];
    }

    private static async Task<(Engine Engine, SignOffService SignOffs)> SignedAsync(string period = "2020S1")
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()));
        await engine.ImportAsync(ImportKind.Values, "mediations.csv", Mediations);
        await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        await signOffs.SignOffAsync(period, "D1", "Các đơn vị còn thiếu đã được nhắc", "committee@D1");
        return (engine, signOffs);
    }

    private static async Task<AreaStatus> MediationOfD1Async(Engine engine, string period = "2020S1") =>
        (await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual)).Single().Areas
        .Single(a => a.TargetCode == "KPI-MEDIATION" && a.AreaCode == "D1").Status;

    /// <summary>
    /// The what-if's "next year's set" imported as it is (the copy re-dated to start in 2021) would take every target of
    /// the set out of the signed period: refused as a removal, where an unsigned period is only told (see the import's notes).
    /// </summary>
    [Fact]
    public async Task A_copy_redated_to_start_after_a_signed_off_period_is_refused_for_the_targets_it_takes_out_of_it()
    {
        var (engine, _) = await SignedAsync();
        await using var __ = engine;
        var before = await engine.CountsAsync();

        var redated = () => engine.ImportTargetsAsync(Kpis, KpiSet(json => json.Replace("\"validFrom\": null", "\"validFrom\": \"2021-01-01\"", StringComparison.Ordinal)), scope: "P");

        (await redated.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("target “Complaints resolved” (“Tỷ lệ giải quyết đơn thư khiếu nại, tố cáo”, KPI-COMPLAINTS) (removed); target “Mediation success rate” (“Tỷ lệ hòa giải thành”, KPI-MEDIATION) (removed)");
        (await engine.CountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_changed_operator_for_a_signed_off_period_is_refused_whole_and_goes_through_once_the_period_is_reopened()
    {
        var (engine, signOffs) = await SignedAsync();
        await using var _ = engine;
        (await MediationOfD1Async(engine)).Should().Be(AreaStatus.Met, "14 of 20 is 70%, which \">= 70%\" meets");
        var before = await engine.CountsAsync();
        string storedHash;
        await using (var db = engine.Db())
            storedHash = (await db.Resolutions.SingleAsync(r => r.Code == "KPI-BCD")).ContentHash;

        var refused = () => engine.ImportTargetsAsync(Kpis, KpiSet(StrictMediation), scope: "P");
        var problem = (await refused.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        output.WriteLine(problem.ToString());
        output.WriteLine(ImportWording.Vietnamese(problem));
        problem.Message.Should().MatchRegex(@"^2020S1 of D1 was signed off by committee@D1 on \d\d/\d\d/\d{4} \d\d:\d\d \(Asia/Ho_Chi_Minh\), so the targets that judge it are locked")
            .And.Contain("this set would change the operator of “Mediation success rate” (“Tỷ lệ hòa giải thành”, KPI-MEDIATION); nothing of this file was stored")
            .And.Contain("qcdc signoff reopen --period 2020S1 --area D1 --reason")
            .And.Contain("\"from\": \"2020-07-01\"");
        ImportWording.Vietnamese(problem).Should().StartWith("kết quả 6 tháng đầu năm 2020 của Huyện Một đã được ký duyệt bởi committee@D1 lúc ")
            .And.Contain("bộ chỉ tiêu này sẽ thay đổi phép so sánh của chỉ tiêu tỷ lệ hòa giải thành (KPI-MEDIATION); không có gì được lưu")
            .And.Contain("mở lại kỳ này");

        // Nothing was stored, and the period is judged as it was signed.
        ImportWording.English(problem).Should().Contain("this set would change the operator of “Mediation success rate” (KPI-MEDIATION);")
            .And.NotContain("Tỷ lệ hòa giải thành", "an English page names the target in English");
        (await engine.CountsAsync()).Should().Be(before);
        await using (var db = engine.Db())
        {
            (await db.Resolutions.SingleAsync(r => r.Code == "KPI-BCD")).ContentHash.Should().Be(storedHash);
            (await db.Targets.SingleAsync(t => t.Code == "KPI-MEDIATION")).Threshold.Should().Be(new Threshold(ComparisonOperator.AtLeast, 700_000));
        }

        // A run of the signed period is still made (by hand or by the daily job), and with its inputs locked changes nothing.
        var again = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Schedule)).Single();
        (again.Run.NewCount, again.Run.ResolvedCount).Should().Be((0, 0));
        again.Areas.Single(a => a.TargetCode == "KPI-MEDIATION" && a.AreaCode == "D1").Status.Should().Be(AreaStatus.Met);

        // Reopened, the same file goes through, and the next run judges D1 by it.
        await signOffs.ReopenAsync("2020S1", "D1", "Ban Chỉ đạo sửa ngưỡng hòa giải theo văn bản", "committee@D1");
        (await engine.ImportTargetsAsync(Kpis, KpiSet(StrictMediation), scope: "P")).Updated.Should().Be(1, "KPI-MEDIATION changed, KPI-COMPLAINTS did not");
        (await MediationOfD1Async(engine)).Should().Be(AreaStatus.Short, "14 of 20 is not more than 70%");
    }

    [Fact]
    public async Task A_set_of_another_area_a_change_dated_after_the_period_an_identical_set_and_a_wording_change_go_through_a_signed_off_period()
    {
        var (engine, _) = await SignedAsync();
        await using var _ = engine;

        // A set bound to D2 alone, changed after D1 signed off: D1 is not judged by it.
        const string OfD2 =
            """
            { "code": "KPI-D2", "title": "Chỉ tiêu của Huyện Hai", "issued": "2020-01-01", "scope": "D2",
              "targets": [ { "code": "D2-MED", "rule": "KPI-MEDIATION", "population": "XA", "operator": ">=", "threshold": "THRESHOLD",
                             "measuredOver": ["District"], "periods": ["S1", "S2"], "textVi": "Hòa giải thành" } ] }
            """;
        await engine.ImportTargetsAsync("d2.json", Encoding.UTF8.GetBytes(OfD2.Replace("THRESHOLD", "70%", StringComparison.Ordinal)), scope: null);
        (await engine.ImportTargetsAsync("d2.json", Encoding.UTF8.GetBytes(OfD2.Replace("THRESHOLD", "75%", StringComparison.Ordinal)), scope: null))
            .Updated.Should().Be(1);

        // The shipped set again is unchanged; new wording changes no verdict.
        var shipped = QcdcCompliance.Rules.QcdcRules.TargetSets().Single(t => t.Name == Kpis).Content;
        (await engine.ImportTargetsAsync(Kpis, shipped, scope: "P")).Unchanged.Should().Be(2);
        (await engine.ImportTargetsAsync(Kpis, KpiSet(json => json.Replace("Tỷ lệ hòa giải thành đạt từ 70% trở lên", "Tỷ lệ vụ việc hòa giải thành từ 70% trở lên",
            StringComparison.Ordinal)), scope: "P")).Updated.Should().Be(1);

        // A stricter setting from the second half leaves 2020S1 alone; one in force on its last day does not.
        (await engine.ImportTargetsAsync(Kpis, KpiSet(json => Mediation(json,
            "\"operator\": \">=\", \"threshold\": 0.7, \"settings\": [ { \"to\": \"2020-06-30\" }, { \"from\": \"2020-07-01\", \"operator\": \">\" } ],")), scope: "P"))
            .Updated.Should().Be(1, "only KPI-MEDIATION's settings changed");
        var inForce = () => engine.ImportTargetsAsync(Kpis, KpiSet(json => Mediation(json,
            "\"operator\": \">=\", \"threshold\": 0.7, \"settings\": [ { \"to\": \"2020-05-31\" }, { \"from\": \"2020-06-01\", \"threshold\": 0.75 } ],")), scope: "P");
        (await inForce.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("2020S1 of D1 was signed off").And.Contain("would change the threshold of “Mediation success rate” (“Tỷ lệ hòa giải thành”, KPI-MEDIATION);");
        (await MediationOfD1Async(engine)).Should().Be(AreaStatus.Met);
    }

    [Fact]
    public async Task A_signed_off_year_locks_the_settings_in_force_on_its_last_day_and_a_new_target_over_it()
    {
        var (engine, _) = await SignedAsync("2020");
        await using var _ = engine;

        // The year restates KPI-MEDIATION with the setting in force on 31/12: a second-half setting changes the year.
        var secondHalf = () => engine.ImportTargetsAsync(Kpis, KpiSet(json => Mediation(json,
            "\"operator\": \">=\", \"threshold\": 0.7, \"settings\": [ { \"to\": \"2020-06-30\" }, { \"from\": \"2020-07-01\", \"operator\": \">\" } ],")), scope: "P");
        (await secondHalf.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().StartWith("2020 of D1 was signed off by committee@D1").And.Contain("would change the operator of “Mediation success rate” (“Tỷ lệ hòa giải thành”, KPI-MEDIATION);")
            .And.Contain("\"from\": \"2021-01-01\"");

        // A target added over the province binds D1 too.
        var added = () => engine.ImportTargetsAsync(Kpis, KpiSet(json => json.Replace("\"code\": \"KPI-COMPLAINTS\",", "\"code\": \"KPI-COMPLAINTS-2\", \"rule\": \"KPI-COMPLAINTS\",",
            StringComparison.Ordinal)), scope: "P");
        var problem = (await added.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        problem.Message.Should().Contain("would change target “Complaints resolved” (“Tỷ lệ giải quyết đơn thư khiếu nại, tố cáo”, KPI-COMPLAINTS) (removed); target “Complaints resolved” (“Tỷ lệ giải quyết đơn thư khiếu nại, tố cáo”, KPI-COMPLAINTS-2) (added);");
        ImportWording.Vietnamese(problem).Should().Contain("bỏ chỉ tiêu tỷ lệ giải quyết đơn thư khiếu nại, tố cáo (KPI-COMPLAINTS); thêm chỉ tiêu tỷ lệ giải quyết đơn thư khiếu nại, tố cáo (KPI-COMPLAINTS-2)");
    }

    /// <summary>
    /// Every input of a signed-off period is locked, so only a new build whose rules judge it otherwise can change its
    /// verdicts. Simulated below the imports, as such a build would look: KPI-MEDIATION read as "&gt; 70%" and the
    /// rule-set version changed (the set's hash, as a new rules assembly's would).
    /// </summary>
    [Fact]
    public async Task A_run_that_would_change_a_signed_off_areas_verdicts_is_refused_whole_and_goes_through_once_the_period_is_reopened()
    {
        var (engine, signOffs) = await SignedAsync();
        await using var _ = engine;
        (await MediationOfD1Async(engine)).Should().Be(AreaStatus.Met);
        await using (var db = engine.Db())
        {
            await db.Database.ExecuteSqlRawAsync("""UPDATE "Targets" SET "ThresholdOperator" = 'MoreThan' WHERE "Code" = 'KPI-MEDIATION'""");
            await db.Database.ExecuteSqlRawAsync("""UPDATE "Resolutions" SET "ContentHash" = 'a-new-build' WHERE "Code" = 'KPI-BCD'""");
        }

        string Current(QcdcDbContext db) => string.Join("; ", db.AreaResults.Where(a => a.SupersededByRunId == null).OrderBy(a => a.Id).AsEnumerable()
            .Select(a => $"{a.TargetCode} {a.AreaId} {a.Status} {a.Numerator}/{a.Denominator}"))
            + " | " + string.Join("; ", db.Findings.Where(f => f.SupersededByRunId == null).OrderBy(f => f.Id).AsEnumerable().Select(f => $"{f.TargetCode} {f.SubjectCode} {f.State}"));
        string before;
        await using (var db = engine.Db())
            before = Current(db);

        var refused = () => engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Schedule);
        var exception = (await refused.Should().ThrowAsync<SignedPeriodRunException>()).Which;
        var message = exception.Message;
        output.WriteLine(message);
        output.WriteLine(exception.MessageVi);
        exception.MessageVi.Should().MatchRegex(@"lần đánh giá này sẽ làm thay đổi \d+ kết quả đã ký duyệt \(theo .*?chỉ tiêu “Tỷ lệ hòa giải thành” \(KPI-MEDIATION\)");
        message.Should().MatchRegex(@"^2020S1 of D1 was signed off by committee@D1 on \d\d/\d\d/\d{4} \d\d:\d\d \(Asia/Ho_Chi_Minh\), so how it is judged is locked: this evaluation would change ")
            .And.Contain("“Mediation success rate” (KPI-MEDIATION) of D1 (met → short)")
            .And.Contain("nothing of it was stored, and 2020S1 of D1 stays as it was signed (run #")
            .And.Contain("qcdc signoff reopen --period 2020S1 --area D1 --reason");

        // Nothing of the refused run is current: the signed figures and findings stand, and the refusal is on record as a failed run.
        await using (var db = engine.Db())
        {
            Current(db).Should().Be(before);
            (await db.EvaluationRuns.OrderBy(r => r.Id).LastAsync()).Status.Should().Be(RunStatus.Failed);
        }

        // Reopened, the same run goes through and judges D1 by the new reading.
        await signOffs.ReopenAsync("2020S1", "D1", "Ban Chỉ đạo đánh giá lại theo phiên bản mới", "committee@D1");
        (await MediationOfD1Async(engine)).Should().Be(AreaStatus.Short, "14 of 20 is not more than 70%");
    }
}
