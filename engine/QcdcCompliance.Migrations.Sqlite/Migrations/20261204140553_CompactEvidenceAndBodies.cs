using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CompactEvidenceAndBodies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "TextBody",
                table: "OutboxMessages",
                type: "BLOB",
                maxLength: -1,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: -1);

            migrationBuilder.AlterColumn<byte[]>(
                name: "HtmlBody",
                table: "OutboxMessages",
                type: "BLOB",
                maxLength: -1,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: -1,
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Evidence",
                table: "Findings",
                type: "BLOB",
                maxLength: -1,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: -1);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "TextBody",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: -1,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldMaxLength: -1);

            migrationBuilder.AlterColumn<string>(
                name: "HtmlBody",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: -1,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldMaxLength: -1,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Evidence",
                table: "Findings",
                type: "TEXT",
                maxLength: -1,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldMaxLength: -1);
        }
    }
}
