using QcdcCompliance.Domain;

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

    /// <summary>Ask for an evaluation: committee and admin.</summary>
    public const string Evaluate = "qcdc:evaluate";

    /// <summary>Administration, and the Hangfire dashboard: admin only.</summary>
    public const string Admin = "qcdc:admin";

    /// <summary>The rate limit per principal (per address when nobody is signed in).</summary>
    public const string RateLimit = "qcdc:per-principal";

    public static readonly IReadOnlyDictionary<string, Role[]> Roles = new Dictionary<string, Role[]>
    {
        [Reference] = [Role.Auditor, Role.Committee, Role.Reporter, Role.Admin],
        [Read] = [Role.Auditor, Role.Committee, Role.Admin],
        [Act] = [Role.Committee],
        [Import] = [Role.Reporter, Role.Admin],
        [Evaluate] = [Role.Committee, Role.Admin],
        [Admin] = [Role.Admin],
    };
}
