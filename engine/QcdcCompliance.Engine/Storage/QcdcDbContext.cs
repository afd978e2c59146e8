using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>The one model, on SQLite, SQL Server and PostgreSQL. Mapping lives here; the domain types know nothing of it.</summary>
public sealed class QcdcDbContext(DbContextOptions<QcdcDbContext> options) : DbContext(options)
{
    public DbSet<Area> Areas => Set<Area>();
    public DbSet<AreaLink> AreaLinks => Set<AreaLink>();
    public DbSet<AreaLineage> AreaLineages => Set<AreaLineage>();
    public DbSet<AreaAudit> AreaAudits => Set<AreaAudit>();
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<UnitVersion> UnitVersions => Set<UnitVersion>();
    public DbSet<UnitAudit> UnitAudits => Set<UnitAudit>();
    public DbSet<Period> Periods => Set<Period>();
    public DbSet<Indicator> Indicators => Set<Indicator>();
    public DbSet<DataValue> DataValues => Set<DataValue>();
    public DbSet<DataValueAudit> DataValueAudits => Set<DataValueAudit>();
    public DbSet<Resolution> Resolutions => Set<Resolution>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<EvaluationRun> EvaluationRuns => Set<EvaluationRun>();
    public DbSet<Finding> Findings => Set<Finding>();
    public DbSet<AreaResult> AreaResults => Set<AreaResult>();
    public DbSet<ScopeState> ScopeStates => Set<ScopeState>();
    public DbSet<FindingAction> FindingActions => Set<FindingAction>();
    public DbSet<SignOff> SignOffs => Set<SignOff>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<AlertRunWords> AlertRunWords => Set<AlertRunWords>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<DataVersion> DataVersions => Set<DataVersion>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Stored as UTC everywhere: SQLite reads DateTime back Unspecified and Npgsql refuses non-UTC for timestamptz.
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcConverter>();
        configuration.Properties<string>().HaveMaxLength(256);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Area>(e =>
        {
            e.HasIndex(a => a.Code).IsUnique();
            e.Property(a => a.Code).HasMaxLength(Limits.Code);
            e.Property(a => a.Level).HasConversion<string>().HasMaxLength(16);
            e.HasMany(a => a.ParentLinks).WithOne().HasForeignKey(l => l.AreaId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AreaLink>(e =>
        {
            e.HasIndex(l => l.AreaId);
            e.HasIndex(l => l.ParentId);
            e.HasOne<Area>().WithMany().HasForeignKey(l => l.ParentId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<AreaLineage>(e =>
        {
            e.HasIndex(l => l.PredecessorId);
            e.HasOne<Area>().WithMany().HasForeignKey(l => l.PredecessorId).OnDelete(DeleteBehavior.NoAction);
            e.HasOne<Area>().WithMany().HasForeignKey(l => l.SuccessorId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<AreaAudit>(e =>
        {
            // Read by area, in the order written.
            e.HasIndex(a => new { a.AreaId, a.Id });
            e.Property(a => a.Field).HasMaxLength(32);
            // An area's parent links, written out, may run past a name's 256 characters.
            e.Property(a => a.OldValue).HasMaxLength(2000);
            e.Property(a => a.NewValue).HasMaxLength(2000);
            e.Property(a => a.Source).HasMaxLength(512);
            e.HasOne<Area>().WithMany().HasForeignKey(a => a.AreaId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Unit>(e =>
        {
            e.HasIndex(u => u.Code).IsUnique();
            // An area's units by their ids alone: the API's findings of a district test each unit against it. On
            // PostgreSQL the id is carried in the index (an index-only scan, no visit to the table's rows); SQLite's and
            // SQL Server's indexes carry the row's key already.
            NpgsqlIndexBuilderExtensions.IncludeProperties(e.HasIndex(u => u.AreaId), u => u.Id);
            e.Property(u => u.Code).HasMaxLength(Limits.Code);
            e.Property(u => u.Kind).HasConversion<string>().HasMaxLength(32);
            e.HasOne<Area>().WithMany().HasForeignKey(u => u.AreaId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<UnitVersion>(e =>
        {
            // A period's load reads the versions that held on or after its last day: few rows, found by their last day.
            e.HasIndex(v => v.Until);
            e.HasIndex(v => new { v.UnitId, v.Until }).IsUnique();
            e.Property(v => v.Kind).HasConversion<string>().HasMaxLength(32);
            e.HasOne<Unit>().WithMany().HasForeignKey(v => v.UnitId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Area>().WithMany().HasForeignKey(v => v.AreaId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<UnitAudit>(e =>
        {
            // Read by unit, in the order written.
            e.HasIndex(a => new { a.UnitId, a.Id });
            e.Property(a => a.Field).HasMaxLength(32);
            e.Property(a => a.Source).HasMaxLength(512);
            e.HasOne<Unit>().WithMany().HasForeignKey(a => a.UnitId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Period>(e =>
        {
            e.HasIndex(p => p.Code).IsUnique();
            e.Property(p => p.Code).HasMaxLength(16);
            e.Property(p => p.Type).HasConversion<string>().HasMaxLength(16);
        });
        model.Entity<Indicator>(e =>
        {
            e.Property(i => i.Id).ValueGeneratedNever();
            e.HasIndex(i => i.Code).IsUnique();
            e.Property(i => i.Code).HasMaxLength(Limits.Code);
            e.Property(i => i.ValueType).HasConversion<string>().HasMaxLength(16);
            e.Property(i => i.PeriodType).HasConversion<string>().HasMaxLength(16);
            e.Property(i => i.YearRollup).HasConversion<string>().HasMaxLength(16);
            e.Property(i => i.AppliesTo).HasMaxLength(64);
            e.Ignore(i => i.Population);
            // Rows come from IndicatorCatalogue at every migrate (IndicatorCatalogueSync): a new indicator needs no migration.
        });
        model.Entity<DataValue>(e =>
        {
            // Period first: a period's values, and an import's lookups by key.
            e.HasKey(v => new { v.PeriodId, v.UnitId, v.IndicatorId });
            // Covering: an evaluation reads a scope's values from this index alone, never the table. Period first, as the key:
            // an import of a period's values appends to both (issue 16). Led by the unit, each new period's rows went in
            // between every unit's older ones, splitting pages all over the index: on PostgreSQL 0.9 of the 2.0 s the
            // server took to insert 331,913 values; on SQLite 0.1-0.2 s of 0.3-0.4 s for 197,644. A unit's values are
            // read by (period, unit) for every period (UnitsApi, the unit's page).
            // On PostgreSQL and SQLite the key itself holds the value instead, in ways EF cannot express, made by their
            // migrations: one B-tree to maintain, not two (PostgreSQL) or three (SQLite: the rows by rowid, the key's
            // index, the covering index).
            // - PostgreSQL: PRIMARY KEY ... INCLUDE ("Value") (PostgresValuesKeyCoversValue); the evaluation reads the
            //   values by an index-only scan of the key. An import's COPY of 331,913 values of a new period into the
            //   benchmark's country: 0.62 s with both indexes, 0.41 s with the key alone covering (psql, 05/12).
            // - SQLite: the table is its key (WITHOUT ROWID, SqliteValuesWithoutRowId), its rows in the key's order.
            if (Database.IsSqlServer())
                e.HasIndex(v => new { v.PeriodId, v.UnitId, v.IndicatorId, v.Value });
            e.Property(v => v.Comment).HasMaxLength(1000);
            // The import, the only writer of values, checks their units, periods and indicators as three sets in its
            // transaction (DataValueStore); units, periods and indicators are never deleted. Checked row by row they cost
            // more than the insert of the values (issue 16): on PostgreSQL a trigger a key a row, four times the insert;
            // on SQLite three parent lookups a row and the indicators' index the key needs, a third of the insert. SQL
            // Server keeps its foreign keys (not measured here).
            if (Database.IsSqlServer())
            {
                e.HasOne<Unit>().WithMany().HasForeignKey(v => v.UnitId).OnDelete(DeleteBehavior.NoAction);
                e.HasOne<Period>().WithMany().HasForeignKey(v => v.PeriodId).OnDelete(DeleteBehavior.NoAction);
                e.HasOne<Indicator>().WithMany().HasForeignKey(v => v.IndicatorId).OnDelete(DeleteBehavior.NoAction);
            }
        });
        model.Entity<DataValueAudit>(e =>
        {
            // Period first, for the same reason as the values' index: an import's audit rows go in at the end of it.
            e.HasIndex(a => new { a.PeriodId, a.UnitId, a.IndicatorId });
            e.Property(a => a.OldComment).HasMaxLength(1000);
            e.Property(a => a.NewComment).HasMaxLength(1000);
            e.Property(a => a.Source).HasMaxLength(512);
        });
        model.Entity<Resolution>(e =>
        {
            // A shipped set adopted by another province is stored again under its own scope.
            e.HasIndex(r => new { r.Code, r.ScopeAreaCode }).IsUnique();
            e.Property(r => r.Code).HasMaxLength(Limits.Code);
            e.Property(r => r.Title).HasMaxLength(1000);
            e.Property(r => r.ShortTitle).HasMaxLength(256);
            e.Property(r => r.ScopeAreaCode).HasMaxLength(Limits.Code);
            e.Property(r => r.LegalBasisJson).HasMaxLength(Limits.Text);
            e.Property(r => r.DutiesJson).HasMaxLength(Limits.Text);
            e.Property(r => r.ContentHash).HasMaxLength(64);
            e.HasMany(r => r.Targets).WithOne(t => t.Resolution).HasForeignKey(t => t.ResolutionId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Target>(e =>
        {
            e.HasIndex(t => new { t.ResolutionId, t.Code });
            e.HasIndex(t => t.Code);
            e.Property(t => t.Code).HasMaxLength(Limits.Code);
            e.Property(t => t.RuleName).HasMaxLength(Limits.Code);
            e.Property(t => t.NameVi).HasMaxLength(256);
            e.Property(t => t.NameEn).HasMaxLength(256);
            e.Property(t => t.Tags).HasMaxLength(256);
            e.Property(t => t.Source).HasConversion<string>().HasMaxLength(16);
            e.Property(t => t.Basis).HasMaxLength(2000);
            e.Property(t => t.Population).HasMaxLength(64);
            e.Property(t => t.TextVi).HasMaxLength(2000);
            e.Property(t => t.TextEn).HasMaxLength(2000);
            e.Property(t => t.MeasuredOver).HasConversion<int>();
            e.Property(t => t.Periods).HasConversion<int>();
            e.Property(t => t.Severity).HasConversion<string>().HasMaxLength(16);
            e.ComplexProperty(t => t.Threshold, c =>
            {
                c.Property(x => x.Operator).HasColumnName("ThresholdOperator").HasConversion<string>().HasMaxLength(16);
                c.Property(x => x.Millionths).HasColumnName("ThresholdMillionths");
            });
        });
        model.Entity<EvaluationRun>(e =>
        {
            e.HasIndex(r => new { r.PeriodId, r.ScopeAreaId, r.Id });
            e.HasIndex(r => r.ChainSequence).IsUnique();
            e.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.RuleSetVersion).HasMaxLength(64);
            e.Property(r => r.Error).HasMaxLength(Limits.Text);
            e.Property(r => r.PreviousHash).HasMaxLength(64);
            e.Property(r => r.Hash).HasMaxLength(64);
            e.Property(r => r.InputFingerprint).HasMaxLength(64);
            e.HasOne<Period>().WithMany().HasForeignKey(r => r.PeriodId).OnDelete(DeleteBehavior.NoAction);
            e.HasOne<Area>().WithMany().HasForeignKey(r => r.ScopeAreaId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<Finding>(e =>
        {
            e.HasIndex(f => f.RunId);
            e.HasIndex(f => new { f.PeriodId, f.ScopeAreaId, f.TargetCode, f.SubjectType, f.SubjectId });
            // Paging by key: period, then target, then subject code.
            e.HasIndex(f => new { f.PeriodId, f.TargetCode, f.SubjectCode, f.Id });
            e.HasIndex(f => new { f.SubjectType, f.SubjectId });
            e.Property(f => f.TargetCode).HasMaxLength(Limits.Code);
            e.Property(f => f.SubjectCode).HasMaxLength(Limits.Code);
            e.Property(f => f.SubjectType).HasConversion<string>().HasMaxLength(8);
            e.Property(f => f.State).HasConversion<string>().HasMaxLength(16);
            e.Property(f => f.Severity).HasConversion<string>().HasMaxLength(16);
            e.ComplexProperty(f => f.Measurement, c =>
            {
                // The columns keep the names they had before the measurement was one type.
                c.Property(m => m.Outcome).HasColumnName("Outcome").HasConversion<string>().HasMaxLength(16);
                c.Property(m => m.Numerator).HasColumnName("Numerator");
                c.Property(m => m.Denominator).HasColumnName("Denominator");
                c.Property(m => m.Value).HasColumnName("Value");
                c.Property(m => m.Operator).HasColumnName("Operator").HasConversion<string>().HasMaxLength(16);
                c.Property(m => m.ThresholdMillionths).HasColumnName("ThresholdMillionths");
                c.Property(m => m.Minimum).HasColumnName("Minimum");
                c.Property(m => m.Gap).HasColumnName("Gap");
            });
            // Stored compressed with a dictionary of what evidence repeats (issue 16), and held so: Evidence reads it back as the exact text.
            e.Ignore(f => f.Evidence);
            e.Property(f => f.PackedEvidence).HasColumnName("Evidence").HasMaxLength(Limits.Text);
            // Findings and area results are written only by RunRecorder, with the run it inserted in the same transaction,
            // and runs are never deleted. PostgreSQL checks a foreign key by a trigger a row: inserting a first run's 400,353
            // findings with their indexes took the server 4.4-4.8 s with it, 3.1-3.3 s without (psql), and the run's write
            // through the CLI 6.0-6.3 s against 4.2-5.3 s (alternated pairs, 06/12, issue 16). SQLite's check is a lookup in
            // the runs' key, and dropping it gained nothing measurable there; SQL Server keeps it (not measured here).
            if (!Database.IsNpgsql())
                e.HasOne<EvaluationRun>().WithMany().HasForeignKey(f => f.RunId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<AreaResult>(e =>
        {
            e.HasIndex(a => a.RunId);
            e.HasIndex(a => new { a.PeriodId, a.ScopeAreaId, a.TargetCode, a.AreaId });
            e.Property(a => a.TargetCode).HasMaxLength(Limits.Code);
            e.Property(a => a.AreaLevel).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            // As the findings' (above).
            if (!Database.IsNpgsql())
                e.HasOne<EvaluationRun>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<ScopeState>(e =>
        {
            e.HasKey(s => new { s.PeriodId, s.ScopeAreaId });
            e.Property(s => s.LatestRunId).IsConcurrencyToken();
        });
        model.Entity<FindingAction>(e =>
        {
            e.HasIndex(a => a.FindingId);
            e.HasIndex(a => a.ChainSequence).IsUnique();
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.Reason).HasMaxLength(2000);
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
            e.HasOne<Finding>().WithMany().HasForeignKey(a => a.FindingId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<SignOff>(e =>
        {
            e.HasIndex(s => new { s.AreaId, s.PeriodId, s.Id });
            e.HasIndex(s => s.ChainSequence).IsUnique();
            e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Reason).HasMaxLength(2000);
            e.Property(s => s.By).HasMaxLength(400);
            e.Property(s => s.PreviousHash).HasMaxLength(64);
            e.Property(s => s.Hash).HasMaxLength(64);
            e.HasOne<Area>().WithMany().HasForeignKey(s => s.AreaId).OnDelete(DeleteBehavior.NoAction);
            e.HasOne<Period>().WithMany().HasForeignKey(s => s.PeriodId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<AuditChainHead>(e =>
        {
            e.Property(h => h.Id).ValueGeneratedNever();
            e.Property(h => h.Hash).HasMaxLength(64);
            e.Property(h => h.Sequence).IsConcurrencyToken();
            e.HasData(new AuditChainHead { Id = 1, Sequence = 0, Hash = AuditChainHead.Genesis });
        });
        model.Entity<OutboxMessage>(e =>
        {
            e.HasIndex(m => m.Key).IsUnique();
            e.HasIndex(m => new { m.Status, m.NextAttemptAt });
            e.HasIndex(m => m.RunId);
            e.Property(m => m.Key).HasMaxLength(400);
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(24);
            e.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(m => m.Recipient).HasMaxLength(320);
            e.Property(m => m.Subject).HasMaxLength(1000);
            e.Property(m => m.SentFrom).HasMaxLength(400);
            e.Property(m => m.MessageIdDomain).HasMaxLength(255);
            // The bodies as sent, byte for byte, compressed with a dictionary of the e-mails' wording and markup.
            e.Ignore(m => m.TextBody);
            e.Ignore(m => m.HtmlBody);
            e.Property(m => m.PackedTextBody).HasColumnName("TextBody").HasMaxLength(Limits.Text);
            e.Property(m => m.PackedHtmlBody).HasColumnName("HtmlBody").HasMaxLength(Limits.Text);
            e.Ignore(m => m.AwaitsRendering);
            e.Property(m => m.Parts).HasMaxLength(Limits.Text);
            e.Property(m => m.LastError).HasMaxLength(2000);
        });
        model.Entity<AlertRunWords>(e =>
        {
            e.HasKey(w => w.RunId);
            e.Property(w => w.RunId).ValueGeneratedNever();
            e.Property(w => w.Words).HasMaxLength(Limits.Text);
            e.HasOne<EvaluationRun>().WithMany().HasForeignKey(w => w.RunId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<ApiKey>(e =>
        {
            e.HasIndex(k => k.Prefix).IsUnique();
            e.Property(k => k.Role).HasConversion<string>().HasMaxLength(16);
            e.Property(k => k.Prefix).HasMaxLength(16);
            e.Property(k => k.KeyHash).HasMaxLength(64);
            e.HasOne<Area>().WithMany().HasForeignKey(k => k.AreaId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<DataVersion>(e =>
        {
            e.HasKey(v => v.Name);
            e.Property(v => v.Name).HasMaxLength(32);
            e.HasData(new DataVersion { Name = DataVersion.Areas, Version = 0 });
        });
    }

    /// <summary>Times read back as UTC (internal: the compiled models create it).</summary>
    internal sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => ToStore(v),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
    {
        /// <summary>A time as it is stored: in UTC (a local or unspecified time converted).</summary>
        public static DateTime ToStore(DateTime time) => time.Kind == DateTimeKind.Utc ? time : time.ToUniversalTime();
    }

    private static class Limits
    {
        public const int Code = 64;

        /// <summary>Unbounded text (nvarchar(max), text).</summary>
        public const int Text = -1;
    }
}
