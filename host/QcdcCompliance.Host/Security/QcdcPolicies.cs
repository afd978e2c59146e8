namespace QcdcCompliance.Host.Security;

/// <summary>
/// The named authorization policies. Every one also requires a principal bound to an area (the default policy does
/// too, for pages that only call <c>RequireAuthorization()</c>); what lies outside that area is answered 404 by the
/// endpoints themselves.
/// </summary>
public static class QcdcPolicies
{
    /// <summary>Reference data (periods, areas, units and their values, targets): every role.</summary>
    public const string Reference = "qcdc:reference";

    /// <summary>Outcomes (runs, findings, compliance, the audit chain): auditor, committee, admin.</summary>
    public const string Read = "qcdc:read";

    /// <summary>Acknowledge or waive a finding: committee only (a committee's decision, not an administrator's).</summary>
    public const string Act = "qcdc:act";

    /// <summary>Import areas, units and values: reporter (its own area) and admin.</summary>
    public const string Import = "qcdc:import";

    /// <summary>
    /// The reporting officers' workspace and the templates: reporter (its own area), committee and admin. Auditors read
    /// outcomes; they have nothing to report. The workspace's forms that store values also need <see cref="Import"/>:
    /// a committee member reads where reporting stands but does not write values, there as at the API.
    /// </summary>
    public const string Workspace = "qcdc:workspace";

    /// <summary>Ask for an evaluation: committee and admin.</summary>
    public const string Evaluate = "qcdc:evaluate";

    /// <summary>Administration: admin (of its area) and national admin.</summary>
    public const string Admin = "qcdc:admin";

    /// <summary>
    /// The Hangfire dashboard: national administrators only. Its jobs are every province's (their arguments name them)
    /// and it can trigger them, so an administrator of one province does not get it.
    /// </summary>
    public const string National = "qcdc:national";

    /// <summary>The rate limit per principal (per address when nobody is signed in).</summary>
    public const string RateLimit = "qcdc:per-principal";

    /// <summary>The review report (about a second of CPU each): a tighter limit per principal.</summary>
    public const string ReportRateLimit = "qcdc:reports";

    public static readonly IReadOnlyDictionary<string, Role[]> Roles = new Dictionary<string, Role[]>
    {
        [Reference] = [Role.Auditor, Role.Committee, Role.Reporter, Role.Admin, Role.NationalAdmin],
        [Read] = [Role.Auditor, Role.Committee, Role.Admin, Role.NationalAdmin],
        [Act] = [Role.Committee],
        [Import] = [Role.Reporter, Role.Admin, Role.NationalAdmin],
        [Workspace] = [Role.Committee, Role.Reporter, Role.Admin, Role.NationalAdmin],
        [Evaluate] = [Role.Committee, Role.Admin, Role.NationalAdmin],
        [Admin] = [Role.Admin, Role.NationalAdmin],
        [National] = [Role.NationalAdmin],
    };
}
