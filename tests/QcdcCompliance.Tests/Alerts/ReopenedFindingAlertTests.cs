using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// A target that stops judging a unit (its set re-dated away from the period, or the target dropped) and judges it again
/// (restored): the unit's finding resolves as "không còn được đánh giá", then reopens. The unit is not told again the
/// shortfall it was told; a different one it is; and no one is told it was put right. End to end through the outbox:
/// targets imported, the period evaluated and the outbox delivered after each change.
/// </summary>
public sealed class ReopenedFindingAlertTests
{
    private const string Xa2 = "xa2@example.vn";

    /// <summary>P-REG's words in a unit alert: XA2 has not issued its regulation, so it falls short of it.</summary>
    private const string RegulationLine = "Mọi đơn vị ban hành quy chế dân chủ";

    /// <summary>P's own set: P-REG (every commune and agency issues its regulation) and P-KEEP; without P-REG, or re-dated, or P-REG with another severity.</summary>
    private static byte[] Set(bool withRegulation = true, string validFrom = "2019-01-01", string severity = "Medium") => Encoding.UTF8.GetBytes($$"""
        {
          "code": "P-SET", "title": "Chỉ tiêu của tỉnh", "issued": "2019-01-01", "validFrom": "{{validFrom}}", "scope": "P",
          "targets": [
            {{(withRegulation ? $$"""{ "code": "P-REG", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "100%", "measuredOver": ["Unit", "District"], "periods": ["S1", "S2"], "severity": "{{severity}}", "textVi": "{{RegulationLine}}" },""" : "")}}
            { "code": "P-KEEP", "rule": "NQ02-1", "population": "CQ", "operator": ">=", "threshold": "100%", "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Mọi cơ quan ban hành quy chế dân chủ" }
          ]
        }
        """);

    private static async Task<EvaluationRun> EvaluateAsync(Engine engine, bool deliver = true)
    {
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        if (deliver)
            await engine.Delivery().DeliverDueAsync();
        return run;
    }

    /// <summary>The unit alerts that went out, by recipient, as the outbox holds them (what was sent, byte for byte).</summary>
    private static async Task<List<OutboxMessage>> SentUnitAlertsAsync(Engine engine)
    {
        await using var db = engine.Db();
        return await db.OutboxMessages.AsNoTracking().Where(m => m.Kind == MessageKind.UnitAlert && m.Status == MessageStatus.Sent).OrderBy(m => m.Id).ToListAsync();
    }

    [Theory]
    [InlineData("dropped", false)]
    [InlineData("re-dated", false)]
    [InlineData("dropped", true)]
    public async Task A_unit_is_not_told_again_the_shortfall_it_was_told_when_its_target_stops_judging_it_and_judges_it_again(string how, bool postgres)
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), postgres: postgres ? "reopened_alerts" : null);
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        await EvaluateAsync(engine);
        var told = await SentUnitAlertsAsync(engine);
        told.Where(m => m.Recipient == Xa2).Should().ContainSingle().Which.TextBody.Should().Contain(RegulationLine);

        // P-REG stops judging 2020S1: XA2's and D1's findings resolve as no longer judged, and no one is told anything was put right.
        await engine.ImportTargetsAsync("p-set.json", how == "dropped" ? Set(withRegulation: false) : Set(validFrom: "2021-01-01"), scope: null);
        var stopped = await EvaluateAsync(engine);
        stopped.ResolvedCount.Should().BePositive();
        var queued = await engine.OutboxAsync();
        queued.Where(m => m.RunId == stopped.Id).Should().OnlyContain(m => m.Kind == MessageKind.AreaDigest, "no unit put anything right, and nothing new falls short");
        foreach (var digest in queued.Where(m => m.RunId == stopped.Id))
        {
            digest.Subject.Should().MatchRegex(@"0 trường hợp chưa đạt mới, 0 đã khắc phục, [1-9]\d* không còn được đánh giá$");
            digest.TextBody.Should().Contain("trường hợp không còn được đánh giá (chỉ tiêu không còn áp dụng cho kỳ này)")
                .And.NotContain("Đơn vị đã khắc phục").And.NotContain("nay đã đạt").And.Contain("0 trường hợp đã khắc phục");
        }

        // Restored as it was: the findings reopen, saying what XA2 was told.
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        var restored = await EvaluateAsync(engine);
        restored.NewCount.Should().BePositive("the target judges the units again and finds them short again");
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "P-REG", Unit = "XA2" })).Should().ContainSingle()
            .Which.State.Should().Be(FindingState.New);

        var sent = await SentUnitAlertsAsync(engine);
        sent.Should().HaveCount(told.Count, "no unit is told again a shortfall it was told, the same in every figure");
        sent.GroupBy(m => m.Recipient).Select(g => (g.Key, g.Count())).Should().BeEquivalentTo(told.GroupBy(m => m.Recipient).Select(g => (g.Key, g.Count())));
        (await engine.OutboxAsync()).Where(m => m.RunId == restored.Id).Should().OnlyContain(m => m.Kind == MessageKind.AreaDigest);
    }

    [Fact]
    public async Task A_unit_is_told_a_shortfall_that_comes_back_different_from_what_it_was_told_and_only_that()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        await EvaluateAsync(engine);
        await engine.ImportTargetsAsync("p-set.json", Set(withRegulation: false), scope: null);
        await EvaluateAsync(engine);
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        await EvaluateAsync(engine);
        (await SentUnitAlertsAsync(engine)).Where(m => m.Recipient == Xa2).Should().ContainSingle("XA2 was told P-REG's shortfall, and it came back the same");

        // Dropped again, and back graver: XA2's shortfall is now of high severity, which its alert did not say.
        await engine.ImportTargetsAsync("p-set.json", Set(withRegulation: false), scope: null);
        await EvaluateAsync(engine);
        await engine.ImportTargetsAsync("p-set.json", Set(severity: "High"), scope: null);
        var graver = await EvaluateAsync(engine);

        var toXa2 = (await SentUnitAlertsAsync(engine)).Where(m => m.Recipient == Xa2).ToList();
        toXa2.Should().HaveCount(2);
        toXa2[^1].RunId.Should().Be(graver.Id);
        toXa2[^1].TextBody.Should().Contain($"{RegulationLine}. Kết quả: ").And.Contain("Mức độ: cao.");
        toXa2[^1].Subject.Should().EndWith("UBND Xã Hai: 1 chỉ tiêu chưa đạt", "only the shortfall that changed is told");

        // And back as it was told last (graver): nothing again.
        await engine.ImportTargetsAsync("p-set.json", Set(withRegulation: false), scope: null);
        await EvaluateAsync(engine);
        await engine.ImportTargetsAsync("p-set.json", Set(severity: "High"), scope: null);
        await EvaluateAsync(engine);
        (await SentUnitAlertsAsync(engine)).Where(m => m.Recipient == Xa2).Should().HaveCount(2, "the unit was last told the graver shortfall");
    }

    [Fact]
    public async Task A_unit_whose_alert_left_the_line_out_because_the_target_had_stopped_judging_it_is_told_when_the_target_comes_back_once()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        await EvaluateAsync(engine, deliver: false);

        // The target is dropped before the first alert goes: it goes without P-REG's line, no longer true.
        await engine.ImportTargetsAsync("p-set.json", Set(withRegulation: false), scope: null);
        await EvaluateAsync(engine);
        (await SentUnitAlertsAsync(engine)).Should().ContainSingle(m => m.Recipient == Xa2).Which.TextBody.Should().NotContain(RegulationLine);

        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        var restored = await EvaluateAsync(engine);
        var toXa2 = (await SentUnitAlertsAsync(engine)).Where(m => m.Recipient == Xa2).ToList();
        toXa2.Should().HaveCount(2, "XA2 was never told P-REG: it is told now");
        toXa2[^1].RunId.Should().Be(restored.Id);
        toXa2[^1].TextBody.Should().Contain(RegulationLine);

        // Told now: dropped and restored again, it is not told a third time.
        await engine.ImportTargetsAsync("p-set.json", Set(withRegulation: false), scope: null);
        await EvaluateAsync(engine);
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        await EvaluateAsync(engine);
        (await SentUnitAlertsAsync(engine)).Where(m => m.Recipient == Xa2).Should().HaveCount(2);
    }
}
