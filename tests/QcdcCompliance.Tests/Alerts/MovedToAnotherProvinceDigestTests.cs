using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// Stop 56, item 1: a unit with an open finding moves (a units import) to another province. The old province's run
/// resolves the finding as having left the population (<see cref="FindingResolution.LeftPopulation"/>): its committee,
/// which was told of the shortfall, reads in its digest that the unit left, counted apart and with why; the new
/// province's committee reads the unit's shortfall as new there. Delivered to a real SMTP server on loopback.
/// </summary>
public sealed class MovedToAnotherProvinceDigestTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string NewProvinceCommittee = "bcd.q@example.vn";
    private const string UnitsHeader = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";

    [Fact]
    public async Task The_old_provinces_committee_reads_that_the_unit_left_and_the_new_ones_reads_its_shortfall()
    {
        using var smtp = new LoopbackSmtp();
        var options = AlertScenario.Options(smtp.Options);
        options.Committees["Q"] = NewProvinceCommittee;
        await using var engine = await AlertScenario.EngineAsync(options);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.Delivery().DeliverDueAsync()).Failed.Should().Be(0);
        var first = smtp.Received().Single(m => m.To.Mailboxes.Single().Address == AlertScenario.ProvinceCommittee);
        first.TextBody.Should().Contain("UBND Xã Hai", "the province's committee was told of XA2's shortfall");

        // XA2, short of NQ02-1 (no regulation), moves to province Q on 1/6/2020, within 2020S1.
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n");
        await engine.ImportAsync(ImportKind.Units, "moved.csv", UnitsHeader + "XA2,UBND Xã Hai,Commune,QC1,true,25,xa2@example.vn,,,2020-06-01\n");
        var runs = await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        runs.Select(r => r.Scope.Code).Should().Contain(["P", "Q"]);
        var left = (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Unit = "XA2", Target = "NQ02-1", State = FindingState.Resolved })).Single();
        left.Resolution.Should().Be(FindingResolution.LeftPopulation);

        (await engine.Delivery().DeliverDueAsync()).Failed.Should().Be(0);
        // What these runs queued, as it arrived (the server keeps no order: found by Message-ID).
        var ran = runs.Select(r => r.Run.Id).ToHashSet();
        var queued = (await engine.OutboxAsync()).Where(m => m.RunId is { } id && ran.Contains(id)).ToList();
        foreach (var m in queued)
            output.WriteLine($"run #{m.RunId} {m.Status} {m.Recipient}: {m.Subject}");
        var ids = queued.Select(m => OutboxMail.MessageId(m.Key, "localhost")).ToHashSet();
        var received = smtp.Received().Where(m => m.MessageId is { } id && ids.Contains(id)).ToList();
        received.Should().HaveCount(queued.Count, "every message of the runs was delivered");

        var old = received.Should().ContainSingle(m => m.To.Mailboxes.Single().Address == AlertScenario.ProvinceCommittee,
            "the province XA2 left is told that its shortfall is no longer followed there").Which;
        old.Subject.Should().MatchRegex(@", [1-9]\d* không còn thuộc diện đánh giá");
        old.TextBody.Should().MatchRegex(@"[1-9]\d* trường hợp không còn thuộc diện đánh giá \(đơn vị chuyển đi, đổi loại hình…; không phải đã khắc phục\)")
            .And.Contain("Đơn vị không còn thuộc diện đánh giá của chỉ tiêu (không được đo ở lần đánh giá này, không phải đã khắc phục):")
            .And.MatchRegex(@"UBND Xã Hai\s+đơn vị chuyển ra ngoài địa bàn được đánh giá\s+Chỉ tiêu 1")
            .And.NotMatchRegex(@"Đơn vị đã khắc phục:[\s\S]*UBND Xã Hai", "XA2 put nothing right");
        received.Should().ContainSingle(m => m.To.Mailboxes.Single().Address == AlertScenario.DistrictCommittee,
            "the district XA2 left is told too").Which.TextBody.Should().MatchRegex(@"UBND Xã Hai\s+đơn vị chuyển ra ngoài địa bàn được đánh giá");

        var fresh = received.Should().ContainSingle(m => m.To.Mailboxes.Single().Address == NewProvinceCommittee,
            "the province XA2 entered is told of its shortfall").Which;
        fresh.Subject.Should().StartWith("[QCDC] 6 tháng đầu năm 2020 – Tỉnh Khác: ").And.MatchRegex(@": [1-9]\d* trường hợp chưa đạt mới");
        fresh.TextBody.Should().Contain("UBND Xã Hai").And.Contain("XA2")
            .And.NotContain("không còn thuộc diện đánh giá");
    }
}
