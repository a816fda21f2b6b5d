"""What the district at N times its size is written with: the sizes per unit of scale, the
district being written (its ids and draws), the writer (COPY on PostgreSQL, batched inserts
elsewhere) and the generators other features plug in."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, text

from sharing.extensions import db

# Per unit of scale; the ordinary demo is scale 1 and stays exactly as it is.
INSTRUMENTS_PER_SCALE = 50
USERS_PER_SCALE = 500
BOOKINGS_PER_SCALE = 100_000
ORDERS_PER_SCALE = 2_000
NEEDS_PER_SCALE = 200
CLAIMS_PER_SCALE = 30
NOTIFICATIONS_PER_SCALE = 10_000
LOANS_PER_SCALE = 1_000  # sharing.demo.scale_loans
CRUISES_PER_SCALE = 10
OWNING_ORGANISATIONS = 15
DISTRICT = {
    "instruments": INSTRUMENTS_PER_SCALE,
    "users": USERS_PER_SCALE,
    "bookings": BOOKINGS_PER_SCALE,
    "orders": ORDERS_PER_SCALE,
    "needs": NEEDS_PER_SCALE,
    "claims": CLAIMS_PER_SCALE,
    "notifications": NOTIFICATIONS_PER_SCALE,
    "loans": LOANS_PER_SCALE,
    "cruises": CRUISES_PER_SCALE,
}
HISTORY_DAYS = 3 * 365
FUTURE_DAYS = 8 * 7

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉宇浩然婷雪琳晨阳帆欣怡博文"
PURPOSES = (
    "海洋沉积物样品分析",
    "课题组例行测试",
    "企业委托检测",
    "新材料表征",
    "博士论文实验",
    "国家重点研发计划课题测试",
    "海水养殖病害样品检测",
    "船舶涂层失效分析",
)
SAMPLE_TYPES = ("海洋沉积物", "海水样品", "鱼类组织", "高分子薄膜", "金属试样", "藻类提取物")
NEED_FIELDS = (
    "marine-equipment",
    "marine-biomedicine",
    "fisheries-aquaculture",
    "marine-information",
    "new-materials",
    "environment-energy",
)
NEED_TITLES = (
    "水下机器人密封件寿命测试",
    "养殖水体溶解氧在线监测方案",
    "海藻多糖纯度与分子量测定",
    "防污涂层海水挂片评价",
    "船用电缆耐盐雾老化评估",
    "鱼粉重金属快速检测方法",
    "海上风电桩基腐蚀监测",
    "深海传感器压力标定",
)
NEED_TEXT = "企业调研中提出的技术需求，需平台协调仪器与专家。"
CATEGORY_FACTORS = {"internal": 6, "academic": 10, "enterprise": 15}  # tenths of the list price


@dataclass
class District:
    """What the generators share: the scale, the clock, a seeded random source and the ids."""

    scale: int
    now: datetime
    rng: random.Random
    owners: list[int] = field(default_factory=list)  # organisations that own instruments
    instruments: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)  # id, organisation_id, kind, role
    managers: dict[int, int] = field(default_factory=dict)  # organisation id -> manager id
    counts: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=lambda: dict(DISTRICT))  # per unit of scale

    def target(self, kind: str) -> int:
        return self.sizes[kind] * self.scale


ScaleGenerator = Callable[[District], None]
GENERATORS: list[ScaleGenerator] = []


def scale_generator(function: ScaleGenerator) -> ScaleGenerator:
    """Register a feature's generator (called once per scaled seeding, after the core ones)."""
    if function not in GENERATORS:
        GENERATORS.append(function)
    return function


class Writer:
    """Rows into a table: COPY on PostgreSQL (a million rows in seconds), inserts elsewhere."""

    def __init__(self):
        self.connection = db.session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"

    def next_id(self, table: str) -> int:
        return (db.session.scalar(text(f"SELECT MAX(id) FROM {table}")) or 0) + 1

    def write(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        written = 0
        if self.postgres:
            names = ", ".join(f'"{name}"' for name in columns)
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        table_object = db.metadata.tables[table]
        batch: list[dict] = []
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) == 5000:
                db.session.execute(insert(table_object), batch)
                written += len(batch)
                batch = []
        if batch:
            db.session.execute(insert(table_object), batch)
            written += len(batch)
        return written

    def finish(self, tables: Iterable[str]) -> None:
        """Move each table's id sequence past the ids written here."""
        if not self.postgres:
            return
        for table in tables:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )
            )


def count_rows(table: str) -> int:
    return db.session.scalar(text(f"SELECT COUNT(*) FROM {table}")) or 0
