using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UnitVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UnitVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UnitId = table.Column<int>(type: "integer", nullable: false),
                    AreaId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    HasTradeUnion = table.Column<bool>(type: "boolean", nullable: false),
                    Until = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnitVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UnitVersions_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_UnitVersions_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UnitVersions_AreaId",
                table: "UnitVersions",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_UnitVersions_UnitId_Until",
                table: "UnitVersions",
                columns: new[] { "UnitId", "Until" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UnitVersions_Until",
                table: "UnitVersions",
                column: "Until");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UnitVersions");
        }
    }
}
