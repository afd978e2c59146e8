namespace QcdcCompliance.Jobs;

/// <summary>
/// Settings of the recurring jobs (section <c>Jobs</c>). Crons are read in Asia/Ho_Chi_Minh. A period is "open" from
/// the day after it ends until <see cref="OpenPeriodDays"/> days after its reporting deadline: the nightly evaluation
/// and the escalations cover open periods; an import re-evaluates whatever period it touched, open or not.
/// </summary>
public sealed class JobOptions
{
    public int OpenPeriodDays { get; set; } = 60;

    /// <summary>Units are reminded from this many days before the deadline until the period closes.</summary>
    public int RemindDaysBefore { get; set; } = 7;

    /// <summary>A finding open longer than this goes to the committee above its subject.</summary>
    public int EscalateAfterDays { get; set; } = 30;

    public string EvaluateCron { get; set; } = "0 2 * * *";
    public string DeliverCron { get; set; } = "* * * * *";
    public string RemindCron { get; set; } = "0 8 * * *";
    public string EscalateCron { get; set; } = "0 7 * * 1";

    /// <summary>Workers of this host's Hangfire server (0: Hangfire's default, 5 per core up to 20).</summary>
    public int WorkerCount { get; set; }

    /// <summary>How often the server looks for queued (PostgreSQL, SQL Server) and scheduled jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a job taken by a host that died (SIGKILL, power loss) stays invisible before another host takes it
    /// again (PostgreSQL storage). A live host keeps its running jobs invisible by refreshing them every fifth of this,
    /// so a long evaluation is never taken twice; this only bounds the wait after a crash.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old one of Hangfire's own distributed locks (its schedulers') must be before another host removes it as left
    /// behind by a dead host (PostgreSQL storage). The per-scope evaluation lock is not one of them: it is a lock of a
    /// database session (<see cref="ScopeLocks"/>), freed when its session ends, so neither a dead host nor a restart of
    /// the database leaves it behind.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
