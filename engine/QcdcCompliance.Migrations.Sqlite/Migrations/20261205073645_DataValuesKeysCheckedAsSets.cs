using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DataValuesKeysCheckedAsSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DataValues_Indicators_IndicatorId",
                table: "DataValues");

            migrationBuilder.DropForeignKey(
                name: "FK_DataValues_Periods_PeriodId",
                table: "DataValues");

            migrationBuilder.DropForeignKey(
                name: "FK_DataValues_Units_UnitId",
                table: "DataValues");

            migrationBuilder.DropIndex(
                name: "IX_DataValues_IndicatorId",
                table: "DataValues");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_DataValues_IndicatorId",
                table: "DataValues",
                column: "IndicatorId");

            migrationBuilder.AddForeignKey(
                name: "FK_DataValues_Indicators_IndicatorId",
                table: "DataValues",
                column: "IndicatorId",
                principalTable: "Indicators",
                principalColumn: "Id");

            migrationBuilder.AddForeignKey(
                name: "FK_DataValues_Periods_PeriodId",
                table: "DataValues",
                column: "PeriodId",
                principalTable: "Periods",
                principalColumn: "Id");

            migrationBuilder.AddForeignKey(
                name: "FK_DataValues_Units_UnitId",
                table: "DataValues",
                column: "UnitId",
                principalTable: "Units",
                principalColumn: "Id");
        }
    }
}
