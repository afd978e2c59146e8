using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class RunInputFingerprint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "InputFingerprint",
                table: "EvaluationRuns",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "InputFingerprint",
                table: "EvaluationRuns");
        }
    }
}
