using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Alerts;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// A target that stops judging a unit (its set re-dated away from the period, or the target dropped) and judges it again
/// (restored): the unit's finding resolves as "không còn được đánh giá", then reopens. The unit is not told again the
/// shortfall it was told; a different one it is; and no one is told it was put right. End to end through the outbox:
/// targets imported, the period evaluated and the outbox delivered after each change.
/// </summary>
public sealed class ReopenedFindingAlertTests(ITestOutputHelper output)
{
    private const string Xa2 = "xa2@example.vn";

    /// <summary>P-REG's words in a unit alert: XA2 has not issued its regulation, so it falls short of it.</summary>
    private const string RegulationLine = "Mọi đơn vị ban hành quy chế dân chủ";

    /// <summary>P-NEW's words in a unit alert: a target of the communes alone, added when P-REG comes back (<see cref="Set"/>).</summary>
    private const string CommuneLine = "Mọi xã ban hành quy chế dân chủ";

    /// <summary>
    /// P's own set: P-REG (every commune and agency issues its regulation) and P-KEEP; without P-REG, or re-dated, or P-REG
    /// with another severity; with P-NEW (every commune issues its regulation) beside them when <paramref name="withCommunes"/>.
    /// </summary>
    private static byte[] Set(bool withRegulation = true, string validFrom = "2019-01-01", string severity = "Medium", bool withCommunes = false) => Encoding.UTF8.GetBytes($$"""
        {
          "code": "P-SET", "title": "Chỉ tiêu của tỉnh", "issued": "2019-01-01", "validFrom": "{{validFrom}}", "scope": "P",
          "targets": [
            {{(withRegulation ? $$"""{ "code": "P-REG", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "100%", "measuredOver": ["Unit", "District"], "periods": ["S1", "S2"], "severity": "{{severity}}", "textVi": "{{RegulationLine}}" },""" : "")}}
            {{(withCommunes ? $$"""{ "code": "P-NEW", "rule": "NQ02-1", "population": "XA", "operator": ">=", "threshold": "100%", "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "{{CommuneLine}}" },""" : "")}}
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
    public async Task A_unit_whose_shortfall_comes_back_as_told_beside_a_new_one_is_told_the_new_one_alone_and_the_run_names_no_other_target()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        await EvaluateAsync(engine);
        await engine.ImportTargetsAsync("p-set.json", Set(withRegulation: false), scope: null);
        await EvaluateAsync(engine, deliver: false);

        // P-REG comes back as XA2 was told it, and P-NEW comes with it: XA2 (no regulation) falls short of both, P-NEW for the
        // first time. P-NEW is what its alert tells, P-REG no longer: no other unit's P-REG shortfall is new in the run.
        await engine.ImportTargetsAsync("p-set.json", Set(withCommunes: true), scope: null);
        var restored = await EvaluateAsync(engine, deliver: false);
        await using (var db = engine.Db())
        {
            (await db.Findings.AsNoTracking().Where(f => f.RunId == restored.Id && f.State == FindingState.New && f.SubjectCode == "XA2")
                    .Select(f => f.TargetCode).OrderBy(code => code).ToListAsync())
                .Should().Equal("P-NEW", "P-REG");
            UnitAlertWords.Unpack((await db.AlertRunWords.AsNoTracking().SingleAsync(w => w.RunId == restored.Id)).Words).TargetCodes
                .Should().Equal(["P-NEW"], "the run's words name the targets its alerts tell, and P-REG's line is not told");
        }

        var alerts = (await engine.OutboxAsync()).Where(m => m.RunId == restored.Id && m.Kind == MessageKind.UnitAlert).ToList();
        var alert = alerts.Should().ContainSingle("XA2 alone falls short of something new").Which;
        alert.Recipient.Should().Be(Xa2);
        alert.Subject.Should().EndWith("UBND Xã Hai: 1 chỉ tiêu chưa đạt");
        UnitAlertPart.Read(alert.Parts!).Should().ContainSingle().Which.Should().Match<UnitAlertPart>(p => p.Code == "XA2" && p.Findings.Length == 2 && p.Findings[0] == 0);
        alert.TextBody.Should().Contain(CommuneLine).And.NotContain(RegulationLine);
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

    [Fact]
    public async Task The_committees_digest_counts_the_shortfalls_back_with_their_target_apart_from_the_new_ones()
    {
        using var smtp = new LoopbackSmtp();
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(smtp.Options));
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        await EvaluateAsync(engine);
        await engine.ImportTargetsAsync("p-set.json", Set(withRegulation: false), scope: null);
        await EvaluateAsync(engine);

        // While P-REG judges nothing Xã Một withdraws its regulation: a shortfall that is new in the run that restores P-REG.
        await engine.ImportAsync(ImportKind.Values, "xa1.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n");
        await engine.ImportTargetsAsync("p-set.json", Set(), scope: null);
        var restored = await EvaluateAsync(engine);

        // Back with P-REG: every P-REG shortfall but Xã Một's fell short before P-REG stopped judging it (XA2 and XA3, the
        // districts); Xã Một's, and its target 1, are new.
        int back;
        await using (var db = engine.Db())
        {
            back = await db.Findings.AsNoTracking().CountAsync(f => f.RunId == restored.Id && f.State == FindingState.New && f.TargetCode == "P-REG" && f.SubjectCode != "XA1");
            (await db.Findings.AsNoTracking().CountAsync(f => f.RunId == restored.Id && f.State == FindingState.New && f.SubjectCode == "XA1")).Should().Be(2);
        }

        back.Should().Be(4);
        var fresh = restored.NewCount - back;
        fresh.Should().Be(2, "Xã Một falls short of P-REG and of target 1 for the first time");
        var outbox = await engine.OutboxAsync();
        var key = outbox.Single(m => m.RunId == restored.Id && m.Recipient == AlertScenario.ProvinceCommittee).Key;
        var digest = smtp.Received().Single(m => m.MessageId == OutboxMail.MessageId(key, "localhost"));
        output.WriteLine(digest.Subject);
        output.WriteLine(digest.TextBody);

        digest.Subject.Should().EndWith($": {fresh} trường hợp chưa đạt mới, 0 đã khắc phục, {back} chưa đạt trở lại sau khi chỉ tiêu được áp dụng lại");
        var text = digest.TextBody!.ReplaceLineEndings("\n");
        text.Should().Contain($"{fresh} trường hợp chưa đạt mới phát hiện")
            .And.Contain($"{back} trường hợp chưa đạt trở lại sau khi chỉ tiêu được áp dụng lại (đã chưa đạt trước khi chỉ tiêu không còn được đánh giá; không phải chưa đạt mới)")
            .And.Contain($"New: {fresh}, resolved: 0, short again now that their target applies again (not new): {back}, ");
        // Listed apart: Xã Hai among the units back with P-REG, Huyện Một among the areas; Xã Một's shortfall is the new one.
        Block(text, "Đơn vị chưa đạt trở lại sau khi chỉ tiêu được áp dụng lại:").Should().Contain("UBND Xã Hai").And.Contain("UBND Xã Ba").And.Contain(RegulationLine)
            .And.NotContain("UBND Xã Một");
        Block(text, "Địa bàn chưa đạt trở lại sau khi chỉ tiêu được áp dụng lại:").Should().Contain("Huyện Một — " + RegulationLine).And.Contain("Huyện Hai — " + RegulationLine);
        // Xã Một's new shortfalls are marked new among the units with the most open ones; Xã Hai's, back with P-REG, are not.
        text.Should().MatchRegex(@"UBND Xã Một +6 +2 +[^\n]*Mọi đơn vị ban hành quy chế dân chủ\*").And.MatchRegex(@"UBND Xã Hai +\d+ +0 +[^\n]*Mọi đơn vị ban hành quy chế dân chủ;");
        Block(text, "Địa bàn chưa đạt chỉ tiêu (mới):").Should().NotContain(RegulationLine, "Huyện Một's P-REG shortfall is not new");
    }

    /// <summary>A paragraph of a digest's text and the block after it (a list or a table); empty when it has no such paragraph.</summary>
    private static string Block(string text, string paragraph)
    {
        var at = text.IndexOf(paragraph, StringComparison.Ordinal);
        if (at < 0)
            return "";
        var end = text.IndexOf("\n\n", text.IndexOf("\n\n", at, StringComparison.Ordinal) + 2, StringComparison.Ordinal);
        return text[at..(end < 0 ? text.Length : end)];
    }
}
