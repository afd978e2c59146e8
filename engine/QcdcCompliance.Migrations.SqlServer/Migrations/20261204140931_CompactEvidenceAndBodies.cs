using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class CompactEvidenceAndBodies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The rows keep their text as UTF-8 bytes (SQL Server 2019's UTF-8 collation), which CompactText reads as it
            // was; new rows are Zstandard frames. A column's type cannot change from nvarchar to varbinary in place.
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ADD [TextBody_new] varbinary(max) NULL;");
            migrationBuilder.Sql("EXEC('UPDATE [OutboxMessages] SET [TextBody_new] = CAST(CAST([TextBody] COLLATE Latin1_General_100_CI_AS_SC_UTF8 AS varchar(max)) AS varbinary(max))');");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] DROP COLUMN [TextBody];");
            migrationBuilder.Sql("EXEC sp_rename 'OutboxMessages.TextBody_new', 'TextBody', 'COLUMN';");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ALTER COLUMN [TextBody] varbinary(max) NOT NULL;");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ADD [HtmlBody_new] varbinary(max) NULL;");
            migrationBuilder.Sql("EXEC('UPDATE [OutboxMessages] SET [HtmlBody_new] = CAST(CAST([HtmlBody] COLLATE Latin1_General_100_CI_AS_SC_UTF8 AS varchar(max)) AS varbinary(max))');");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] DROP COLUMN [HtmlBody];");
            migrationBuilder.Sql("EXEC sp_rename 'OutboxMessages.HtmlBody_new', 'HtmlBody', 'COLUMN';");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ALTER COLUMN [HtmlBody] varbinary(max) NULL;");
            migrationBuilder.Sql("ALTER TABLE [Findings] ADD [Evidence_new] varbinary(max) NULL;");
            migrationBuilder.Sql("EXEC('UPDATE [Findings] SET [Evidence_new] = CAST(CAST([Evidence] COLLATE Latin1_General_100_CI_AS_SC_UTF8 AS varchar(max)) AS varbinary(max))');");
            migrationBuilder.Sql("ALTER TABLE [Findings] DROP COLUMN [Evidence];");
            migrationBuilder.Sql("EXEC sp_rename 'Findings.Evidence_new', 'Evidence', 'COLUMN';");
            migrationBuilder.Sql("ALTER TABLE [Findings] ALTER COLUMN [Evidence] varbinary(max) NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Only rows still stored as text convert back: run before any compressed row was written.
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ADD [TextBody_new] nvarchar(max) NULL;");
            migrationBuilder.Sql("EXEC('UPDATE [OutboxMessages] SET [TextBody_new] = CAST(CAST([TextBody] AS varchar(max)) COLLATE Latin1_General_100_CI_AS_SC_UTF8 AS nvarchar(max))');");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] DROP COLUMN [TextBody];");
            migrationBuilder.Sql("EXEC sp_rename 'OutboxMessages.TextBody_new', 'TextBody', 'COLUMN';");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ALTER COLUMN [TextBody] nvarchar(max) NOT NULL;");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ADD [HtmlBody_new] nvarchar(max) NULL;");
            migrationBuilder.Sql("EXEC('UPDATE [OutboxMessages] SET [HtmlBody_new] = CAST(CAST([HtmlBody] AS varchar(max)) COLLATE Latin1_General_100_CI_AS_SC_UTF8 AS nvarchar(max))');");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] DROP COLUMN [HtmlBody];");
            migrationBuilder.Sql("EXEC sp_rename 'OutboxMessages.HtmlBody_new', 'HtmlBody', 'COLUMN';");
            migrationBuilder.Sql("ALTER TABLE [OutboxMessages] ALTER COLUMN [HtmlBody] nvarchar(max) NULL;");
            migrationBuilder.Sql("ALTER TABLE [Findings] ADD [Evidence_new] nvarchar(max) NULL;");
            migrationBuilder.Sql("EXEC('UPDATE [Findings] SET [Evidence_new] = CAST(CAST([Evidence] AS varchar(max)) COLLATE Latin1_General_100_CI_AS_SC_UTF8 AS nvarchar(max))');");
            migrationBuilder.Sql("ALTER TABLE [Findings] DROP COLUMN [Evidence];");
            migrationBuilder.Sql("EXEC sp_rename 'Findings.Evidence_new', 'Evidence', 'COLUMN';");
            migrationBuilder.Sql("ALTER TABLE [Findings] ALTER COLUMN [Evidence] nvarchar(max) NOT NULL;");
        }
    }
}
