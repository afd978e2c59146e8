using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Cli;

/// <summary>What <c>qcdc explain</c> and the API tell a reader about a finding's target set and requirement.</summary>
public sealed class ExplainWordingTests
{
    /// <summary>Xã Một's party secretary received citizens on 1 day in the half-year: short of Quy định 11-QĐi/TW.</summary>
    private const string Values = Province.ValuesHeader + "XA1,2020S1,CITIZEN_RECEPTION_DAYS,1,\nXA1,2020S1,REGULATION_ISSUED,false,\n";

    [Fact]
    public async Task The_party_regulation_is_numbered_as_its_title_writes_it_and_its_code_stays_upper_cased_for_matching()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var explain = await HostProcess.RunAsync(engine.Storage, "explain", "--period", "2020S1", "--target", "QD11-CITIZEN-RECEPTION", "--subject", "XA1");
        explain.Should().Contain("(bộ chỉ tiêu theo Quy định 11-QĐi/TW)").And.Contain("(target set of Quy định 11-QĐi/TW)").And.NotContain("QĐI");
        // The target and the period in words, as the report names them; the code stays the rule's name and the JSON's.
        explain.Should().StartWith("Phát hiện #").And.Contain(": bí thư cấp ủy cấp xã tiếp dân, 6 tháng đầu năm 2020\n")
            .And.Contain(": Commune party secretary receives citizens, the first half of 2020\n").And.NotContain("chỉ tiêu QD11").And.NotContain("target QD11");
        // A unit has no share: its requirement in the alert's words.
        explain.Should().Contain("Yêu cầu: ít nhất 12 trong kỳ\n").And.Contain("Required: at least 12 in the period\n").And.NotContain("tỷ lệ đơn vị đạt");
        var regulation = await HostProcess.RunAsync(engine.Storage, "explain", "--period", "2020S1", "--target", "NQ02-1", "--subject", "XA1");
        regulation.Should().Contain(": chỉ tiêu 1 (xây dựng quy chế dân chủ), 6 tháng đầu năm 2020\n").And.Contain(": Target 1 (democracy regulations), the first half of 2020\n")
            .And.Contain("(bộ chỉ tiêu theo Nghị quyết 02-NQ/TU)").And.NotContain("chỉ tiêu NQ02-1").And.NotContain("2020S1");
        regulation.Should().Contain("Yêu cầu: ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở\n")
            .And.Contain("Required: democracy regulation issued in full\n").And.NotContain(">= 100%");

        await using var db = engine.Db();
        var set = await db.Resolutions.AsNoTracking().Include(r => r.Targets).SingleAsync(r => r.Code == "11-QĐI/TW");
        var dto = set.AsDto(engine.Services.GetRequiredService<TargetRuleCatalogue>());
        (dto.Code, dto.Number).Should().Be(("11-QĐI/TW", "11-QĐi/TW"), "the API keeps the code it matches on and gives the number as written");
    }
}
