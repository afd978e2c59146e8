using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Jobs;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// The test province with alerts on: committees for the province P and the district D1 (C1, C2 and CQ1 are below it;
/// C3 is in D2, which has none), the shipped target sets, and 2020S1 values where XA2 has not issued its regulation.
/// </summary>
public static class AlertScenario
{
    public const string ProvinceCommittee = "bcd.p@example.vn";
    public const string DistrictCommittee = "bcd.d1@example.vn";

    public const string Values = Province.ValuesHeader +
        """
        XA1,2020S1,REGULATION_ISSUED,true,
        XA2,2020S1,REGULATION_ISSUED,false,
        CQ1,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,true,
        DN2,2020S1,REGULATION_ISSUED,true,

        """;

    public const string Correction = Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,có,đã ban hành\n";

    public static AlertOptions Options(SmtpOptions? smtp = null) => new()
    {
        Committees = new(StringComparer.OrdinalIgnoreCase) { ["P"] = ProvinceCommittee, ["D1"] = DistrictCommittee },
        DashboardUrl = "https://qcdc.example.vn/?period={period}&area={area}",
        UnitUrl = "https://qcdc.example.vn/workspace/units/{unit}?period={period}",
        TemplateUrl = "https://qcdc.example.vn/workspace/template?period={period}&unit={unit}",
        PickupFolder = TestFolders.NewFolder("mail"),
        Smtp = smtp ?? new SmtpOptions(),
        RetryBaseDelay = TimeSpan.FromSeconds(30),
        MaxAttempts = 8,
    };

    /// <summary>The engine with alerts (and the job classes) over SQLite or PostgreSQL, the province and targets loaded.</summary>
    /// <param name="configure">More services, registered after the alerts' (a contributor after the composer).</param>
    public static async Task<Engine> EngineAsync(AlertOptions options, TimeProvider? clock = null, string? postgres = null, JobOptions? jobs = null,
        bool keepWarm = false, Action<IServiceCollection>? configure = null)
    {
        void Configure(IServiceCollection services)
        {
            services.AddQcdcAlerts(options).AddQcdcJobServices(jobs ?? new JobOptions());
            configure?.Invoke(services);
        }

        var engine = await (postgres is null
            ? Engine.SqliteAsync(clock, keepWarm, configure: Configure)
            : Engine.PostgresAsync(postgres, clock, keepWarm, configure: Configure)).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        return engine;
    }

    /// <summary>P-REG: every commune and agency issues its regulation, judged per unit and per district.</summary>
    private const string RegulationTarget =
        """{ "code": "P-REG", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "100%", "measuredOver": ["Unit", "District"], "periods": ["S1", "S2"], "textVi": "Mọi đơn vị ban hành quy chế dân chủ" }""";

    /// <summary>
    /// P's own set: P-REG and P-KEEP (the agencies alone); without P-REG when <paramref name="withRegulation"/> is false,
    /// the way a committee moves a target to a district's own set (<see cref="D2Set"/>): the set itself cannot be
    /// narrowed to D2, which would unbind D1 from all of it.
    /// </summary>
    public static byte[] ProvinceSet(bool withRegulation = true) => System.Text.Encoding.UTF8.GetBytes($$"""
        {
          "code": "P-SET", "title": "Chỉ tiêu của tỉnh", "issued": "2019-01-01", "scope": "P",
          "targets": [
            {{(withRegulation ? RegulationTarget + "," : "")}}
            { "code": "P-KEEP", "rule": "NQ02-1", "population": "CQ", "operator": ">=", "threshold": "100%", "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Mọi cơ quan ban hành quy chế dân chủ" }
          ]
        }
        """);

    /// <summary>D2's own set holding P-REG: with <see cref="ProvinceSet"/> without it, P-REG is re-scoped from the province to D2.</summary>
    public static byte[] D2Set() => System.Text.Encoding.UTF8.GetBytes($$"""
        {
          "code": "D2-SET", "title": "Chỉ tiêu của huyện Hai", "issued": "2019-01-01", "scope": "D2",
          "targets": [ {{RegulationTarget}} ]
        }
        """);

    /// <summary>P-REG re-scoped from the province to D2 (P-SET imported again without it, then D2-SET), and the period evaluated again.</summary>
    public static async Task<long> RescopeRegulationToD2Async(Engine engine, string period = "2020S1")
    {
        await engine.ImportTargetsAsync("p-set.json", ProvinceSet(withRegulation: false), scope: null);
        await engine.ImportTargetsAsync("d2-set.json", D2Set(), scope: null);
        return (await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual)).Single().Run.Id;
    }

    /// <summary>The outbox, with the unit alerts not delivered yet rendered (in memory) as delivery will render them.</summary>
    public static async Task<List<OutboxMessage>> OutboxAsync(this Engine engine)
    {
        await using var db = engine.Db();
        var rows = await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        (await DeferredAlerts.RenderAsync(db, rows, [], CancellationToken.None)).Failed.Should().BeEmpty("every unit alert the evaluation stored can be rendered");
        return rows;
    }

    public static OutboxDelivery Delivery(this Engine engine) => engine.Services.GetRequiredService<OutboxDelivery>();
}
