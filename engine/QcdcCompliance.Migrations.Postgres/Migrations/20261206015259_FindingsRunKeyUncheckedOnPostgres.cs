using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FindingsRunKeyUncheckedOnPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AreaResults_EvaluationRuns_RunId",
                table: "AreaResults");

            migrationBuilder.DropForeignKey(
                name: "FK_Findings_EvaluationRuns_RunId",
                table: "Findings");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "FK_AreaResults_EvaluationRuns_RunId",
                table: "AreaResults",
                column: "RunId",
                principalTable: "EvaluationRuns",
                principalColumn: "Id");

            migrationBuilder.AddForeignKey(
                name: "FK_Findings_EvaluationRuns_RunId",
                table: "Findings",
                column: "RunId",
                principalTable: "EvaluationRuns",
                principalColumn: "Id");
        }
    }
}
