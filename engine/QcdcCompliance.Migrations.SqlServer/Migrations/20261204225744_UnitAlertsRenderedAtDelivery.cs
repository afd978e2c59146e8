using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class UnitAlertsRenderedAtDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Parts",
                table: "OutboxMessages",
                type: "varbinary(max)",
                maxLength: -1,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlertRunWords",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Words = table.Column<byte[]>(type: "varbinary(max)", maxLength: -1, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertRunWords", x => x.RunId);
                    table.ForeignKey(
                        name: "FK_AlertRunWords_EvaluationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "EvaluationRuns",
                        principalColumn: "Id");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertRunWords");

            migrationBuilder.DropColumn(
                name: "Parts",
                table: "OutboxMessages");
        }
    }
}
