using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using QcdcCompliance.Storage;

#nullable disable

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <summary>
    /// The codes findings are listed by (target, then subject) compare as SQLite and .NET compare them, byte by byte
    /// (<c>COLLATE "C"</c>), whatever the database's own collation: a database created with a Vietnamese or English
    /// locale listed <c>CQ_ZT-2</c> before <c>CQ-ZT-1</c> and <c>ĐV-ZT-4</c> after <c>DV-ZT-5</c>, so the CLI's CSV and the
    /// API's pages came out in another order than on SQLite. The index on (period, target, subject, id) is rebuilt with
    /// the columns, so the pages' ORDER BY and their cursor's row comparison still read it. Written by hand: the mapping
    /// does not change (SQLite's BINARY is ordinal already; SQL Server's collation is the server's), so the snapshot does not either.
    /// </summary>
    [DbContext(typeof(QcdcDbContext))]
    [Migration("20261207100000_FindingCodesOrdinalOnPostgres")]
    public partial class FindingCodesOrdinalOnPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("""
                ALTER TABLE "Findings"
                    ALTER COLUMN "TargetCode" TYPE character varying(64) COLLATE "C",
                    ALTER COLUMN "SubjectCode" TYPE character varying(64) COLLATE "C";
                """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("""
                ALTER TABLE "Findings"
                    ALTER COLUMN "TargetCode" TYPE character varying(64) COLLATE "default",
                    ALTER COLUMN "SubjectCode" TYPE character varying(64) COLLATE "default";
                """);
    }
}
