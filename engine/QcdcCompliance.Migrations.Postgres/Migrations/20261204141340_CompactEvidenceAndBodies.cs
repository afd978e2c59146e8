using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CompactEvidenceAndBodies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The rows keep their text as UTF-8 bytes, which CompactText reads as it was; new rows are Zstandard frames.
            migrationBuilder.Sql("ALTER TABLE \"OutboxMessages\" ALTER COLUMN \"TextBody\" TYPE bytea USING convert_to(\"TextBody\", 'UTF8');");
            migrationBuilder.Sql("ALTER TABLE \"OutboxMessages\" ALTER COLUMN \"HtmlBody\" TYPE bytea USING convert_to(\"HtmlBody\", 'UTF8');");
            migrationBuilder.Sql("ALTER TABLE \"Findings\" ALTER COLUMN \"Evidence\" TYPE bytea USING convert_to(\"Evidence\", 'UTF8');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Only rows still stored as text convert back: run before any compressed row was written.
            migrationBuilder.Sql("ALTER TABLE \"OutboxMessages\" ALTER COLUMN \"TextBody\" TYPE text USING convert_from(\"TextBody\", 'UTF8');");
            migrationBuilder.Sql("ALTER TABLE \"OutboxMessages\" ALTER COLUMN \"HtmlBody\" TYPE text USING convert_from(\"HtmlBody\", 'UTF8');");
            migrationBuilder.Sql("ALTER TABLE \"Findings\" ALTER COLUMN \"Evidence\" TYPE text USING convert_from(\"Evidence\", 'UTF8');");
        }
    }
}
