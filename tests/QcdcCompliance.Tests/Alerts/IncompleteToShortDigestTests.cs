using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// Stop 56 (rev56-newprov, item 2): an area "chưa đủ số liệu" (its late commune had not reported) whose late figures
/// confirm the shortfall is an area that fell short. The committee's digest of that run lists it among the areas that
/// fell short, with what it was before, and counts it in the subject's new shortfalls; the next run, with nothing
/// changed, tells nothing. The reviewer's four-commune province, delivered to a real SMTP server on loopback.
/// </summary>
public sealed class IncompleteToShortDigestTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Committee = "bcd@tp.example.vn";

    private const string Set = """
        { "code": "TP-KH", "title": "Kế hoạch thử của tỉnh Thử Phong", "shortTitle": "Kế hoạch tỉnh Thử Phong", "issuer": "Tỉnh ủy Thử Phong",
          "issued": "2021-01-01", "validFrom": "2021-01-01", "validTo": null, "scope": "TP", "followSuccessors": false, "legalBasis": [],
          "targets": [ { "code": "TP-6", "nameVi": "Mục tiêu 6: hòa giải thành", "nameEn": "Goal 6: mediation",
            "rule": "RATIO", "indicators": ["MEDIATION_SUCCESSES", "MEDIATION_CASES"], "population": "XA", "operator": ">=", "threshold": 0.75,
            "measuredOver": ["District", "Province"], "periods": ["HalfYear"], "severity": "Low",
            "textVi": "Tỷ lệ hòa giải thành từ 75% trở lên", "textEn": "75% settled", "source": "committee" } ] }
        """;

    [Fact]
    public async Task An_area_whose_late_figures_confirm_its_shortfall_is_told_once_as_fallen_short()
    {
        using var smtp = new LoopbackSmtp();
        var options = AlertScenario.Options(smtp.Options);
        options.Committees.Clear();
        options.Committees["TP"] = Committee;
        await using var engine = await Engine.SqliteAsync(configure: services => services.AddQcdcAlerts(options));
        var areas = "code,name,level,parent_code,valid_from,valid_to\nTP,Tỉnh Thử Phong,Province,,2015-01-01,\nTP-H1,Huyện Một,District,TP,2015-01-01,\n";
        var units = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to\n";
        for (var i = 1; i <= 4; i++)
        {
            areas += $"TP-H1-X{i},Xã Số {i},Commune,TP-H1,2015-01-01,\n";
            units += $"UB-X{i},UBND Xã Số {i},Commune,TP-H1-X{i},có,20,ub{i}@tp.example.vn,2015-01-01,\n";
        }

        await engine.ImportAsync(ImportKind.Areas, "areas.csv", areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", units);
        await engine.ImportTargetsAsync("set.json", System.Text.Encoding.UTF8.GetBytes(Set), null);
        var v1 = "unit_code,period,indicator,value,comment\n";
        for (var i = 1; i <= 3; i++)
            v1 += $"UB-X{i},2022S1,MEDIATION_CASES,10,\nUB-X{i},2022S1,MEDIATION_SUCCESSES,10,\n";
        await engine.ImportAsync(ImportKind.Values, "v1.csv", v1);
        await engine.Evaluations.EvaluateAsync("2022S1", null, RunTrigger.Manual);
        var incomplete = await engine.Findings.ListAsync(new FindingFilter("2022S1") { Target = "TP-6" });
        incomplete.Should().HaveCount(2).And.OnlyContain(f => f.Measurement.Outcome == FindingOutcome.Incomplete, "X4 has not reported: 30/30 so far");
        (await engine.Delivery().DeliverDueAsync()).Failed.Should().Be(0);

        // X4 reports 90 cases, 10 settled: 40/120 = 33,3 %, Huyện Một and the province are now short.
        await engine.ImportAsync(ImportKind.Values, "v2.csv", "unit_code,period,indicator,value,comment\nUB-X4,2022S1,MEDIATION_CASES,90,\nUB-X4,2022S1,MEDIATION_SUCCESSES,10,\n");
        var run = (await engine.Evaluations.EvaluateAsync("2022S1", null, RunTrigger.Manual)).Single();
        (await engine.Findings.ListAsync(new FindingFilter("2022S1") { Target = "TP-6" }))
            .Should().HaveCount(2).And.OnlyContain(f => f.Measurement.Outcome == FindingOutcome.Short && f.State == FindingState.Persisting);
        (await engine.Delivery().DeliverDueAsync()).Failed.Should().Be(0);
        var queued = (await engine.OutboxAsync()).Where(m => m.RunId == run.Run.Id && m.Kind == MessageKind.AreaDigest).ToList();
        foreach (var m in queued)
            output.WriteLine($"run #{m.RunId} {m.Status} {m.Recipient}: {m.Subject}");
        var id = OutboxMail.MessageId(queued.Should().ContainSingle("the province's committee gets the run's digest").Which.Key, "localhost");
        var digest = smtp.Received().Should().ContainSingle(m => m.MessageId == id).Which;
        output.WriteLine(digest.TextBody);
        digest.Subject.Should().Be("[QCDC] 6 tháng đầu năm 2022 – Tỉnh Thử Phong: 2 trường hợp chưa đạt mới, 1 đã khắc phục");
        digest.TextBody.Should().Contain("2 trường hợp chưa đạt mới phát hiện")
            .And.MatchRegex(@"Địa bàn chưa đạt chỉ tiêu \(mới\):[\s\S]*Huyện Một — Mục tiêu 6[^\n]*: tỷ lệ 33,3% \(40/120\)[^\n]*\(lần trước: chưa đủ số liệu\)")
            .And.MatchRegex(@"Tỉnh Thử Phong — Mục tiêu 6[^\n]*: tỷ lệ 33,3% \(40/120\)[^\n]*\(lần trước: chưa đủ số liệu\)")
            .And.MatchRegex(@"Mục tiêu 6 \(hòa giải thành\)\s+2\s+0\s+2", "the table counts them with the new ones");

        // Told once: the next run, with nothing changed, queues nothing.
        var again = (await engine.Evaluations.EvaluateAsync("2022S1", null, RunTrigger.Manual)).Single();
        (await engine.OutboxAsync()).Should().NotContain(m => m.RunId == again.Run.Id);
    }
}
