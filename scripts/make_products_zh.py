"""Writes data/shop/products_zh.csv: a Chinese name and description for every product.

Built from the catalogue's brand, category and attributes with one natural template per category
(model names stay as the maker writes them, as Chinese shops do: "苹果 iPhone SE(第三代)64GB").
Run it again whenever products.csv changes:

    .venv-actions/bin/python -m scripts.make_products_zh
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

from shop.config import load_settings
from shop.zh_terms import BRANDS_ZH, CATEGORY_LABELS_ZH, COLORS_ZH, NAME_WORDS_ZH

_ORDINALS_ZH = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十",
                11: "十一", 12: "十二"}
_GENERATION_RE = re.compile(r"\((\d+)(?:st|nd|rd|th) (?:generation|Gen)\)", re.I)
_HEADPHONE_TYPES = {"over-ear": "头戴式", "in-ear": "入耳式", "on-ear": "贴耳式", "open-ear": "开放式"}
_CAMERA_TYPES = {"mirrorless": "无反相机", "vlogging": "Vlog 相机", "compact": "便携数码相机",
                 "bridge": "长焦数码相机", "cinema": "电影摄影机", "instant": "拍立得相机", "action": "运动相机",
                 "360": "360° 全景相机", "gimbal": "手持云台相机", "drone": "航拍无人机"}
_SENSORS = {"full-frame": "全画幅", "APS-C": "APS-C 画幅", "Micro Four Thirds": "M43 画幅"}
_ACCESSORY_TYPES = {"case": "保护壳", "mouse": "鼠标", "screen protector": "钢化膜", "memory card": "存储卡",
                    "charger": "充电器", "ssd": "移动固态硬盘", "cable": "数据线", "keyboard": "键盘",
                    "power bank": "充电宝", "wireless charger": "无线充电器", "flash drive": "U 盘",
                    "webcam": "摄像头", "tracker": "防丢定位器", "hub": "扩展坞", "stylus": "手写笔",
                    "trackpad": "触控板"}
_COMPAT_WORDS = {"devices": "设备", "laptops": "笔记本电脑", "phones": "手机", "tablets": "平板电脑",
                 "cameras": "相机", "action cameras": "运动相机", "drones": "无人机", "consoles": "游戏机",
                 "handheld consoles": "掌机", " and later": " 及更新机型", " and ": "、", "accessories": "配件"}


def color_zh(color: Any) -> str:
    text = str(color or "").strip()
    if not text or text.lower() == "none":
        return ""
    parts = []
    for part in text.split("/"):
        key = part.strip().lower()
        words = key.split()
        parts.append(COLORS_ZH.get(key) or COLORS_ZH.get(" ".join(words[-2:])) or COLORS_ZH.get(words[-1] if words
                     else "") or part.strip())
    return "/".join(parts)


def name_zh(name: str, brand: str, category: str = "") -> str:
    base, _, color = name.partition(" - ")
    if base.startswith(brand + " "):
        base = base[len(brand) + 1:]
    base = _GENERATION_RE.sub(lambda m: f"(第{_ORDINALS_ZH.get(int(m.group(1)), m.group(1))}代)", base)
    for english, chinese in NAME_WORDS_ZH.items():
        base = base.replace(english, chinese)
    if category == "cameras":  # "Zf with NIKKOR Z 40mm Lens" -> "Zf 配 NIKKOR Z 40mm 镜头"
        base = base.replace(" with ", " 配 ").replace(" Lens", " 镜头")
    base = re.sub(r"\s*\(\s*", "(", base)
    base = re.sub(r"\s*\)\s*", ")", base).replace("(", "(").replace(")", ")")
    text = f"{BRANDS_ZH.get(brand, brand)} {base.strip()}"
    if color:
        text += f" {color_zh(color)}"
    return " ".join(text.split())


def _storage(gb: Any) -> str:
    gb = int(gb)
    return f"{gb // 1024}TB" if gb >= 1024 and gb % 1024 == 0 else f"{gb}GB"


def _number(value: Any) -> str:
    number = float(value)
    return f"{number:g}"


def _wan_pixels(mp: Any) -> str:
    """12 (MP) -> "1200 万像素"."""
    return f"{float(mp) * 100:g} 万像素"


def _compat(text: str) -> str:
    for english, chinese in sorted(_COMPAT_WORDS.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(english, chinese)
    return text.replace(", ", "、").replace("USB-C 设备", "USB-C 接口设备")


def description_zh(category: str, brand: str, a: dict[str, Any]) -> str:
    parts: list[str]
    if category == "phones":
        parts = [f"{_number(a['screen_in'])} 英寸 {a['os']} 手机", f"{_storage(a['storage_gb'])} 存储",
                 f"{a['ram_gb']}GB 内存", f"{_wan_pixels(a['main_camera_mp'])}主摄",
                 f"{a['battery_mah']:,} mAh 电池", f"{a['refresh_rate_hz']}Hz 刷新率"]
        if a.get("5g"):
            parts.append("支持 5G")
        if a.get("foldable"):
            parts.append("折叠屏")
        if a.get("water_resistance"):
            parts.append(f"{a['water_resistance']} 级防尘防水")
    elif category == "laptops":
        gpu = "集成显卡" if str(a["gpu"]).lower() == "integrated" else f"{a['gpu']} 显卡"
        parts = [f"{_number(a['screen_in'])} 英寸 {a['os']} 笔记本电脑", f"搭载 {a['cpu']} 处理器",
                 f"{a['ram_gb']}GB 内存", f"{_storage(a['storage_gb'])} 固态硬盘",
                 f"{a['resolution']} 分辨率屏幕,{a['refresh_rate_hz']}Hz 刷新率", gpu,
                 f"续航最长 {_number(a['battery_hours'])} 小时",
                 f"重 {_number(round(float(a['weight_lb']) * 0.4536, 2))} 公斤({_number(a['weight_lb'])} 磅)"]
    elif category == "tablets":
        cellular = "WLAN + 蜂窝网络版" if "Cellular" in str(a.get("connectivity")) else "WLAN 版"
        parts = [f"{_number(a['screen_in'])} 英寸 {a['os']} 平板电脑", f"搭载 {a['chip']} 芯片",
                 f"{_storage(a['storage_gb'])} 存储", cellular, f"续航最长 {_number(a['battery_hours'])} 小时"]
        stylus = str(a.get("stylus_support") or "")
        if stylus and stylus.lower() != "none":
            parts.append(f"支持 {stylus.replace('(included)', '(随附)')}")
    elif category == "headphones":
        kind = _HEADPHONE_TYPES.get(str(a.get("type")), "")
        parts = [f"{'无线' if a.get('wireless') else '有线'}{kind}耳机"]
        if a.get("noise_cancelling"):
            parts.append("主动降噪")
        if a.get("battery_hours"):
            parts.append(f"单次充电续航最长 {_number(a['battery_hours'])} 小时")
        if a.get("water_resistance") and a["water_resistance"] != "none":
            parts.append(f"{a['water_resistance']} 级防水")
        parts.append(f"连接方式:{a['connectivity']}")
        if a.get("microphone"):
            parts.append("带麦克风,可通话")
    elif category == "smartwatches":
        parts = [f"{a['case_mm']} 毫米表壳的智能手表"]
        if a.get("display") and a["display"] != "none":
            parts.append(f"{a['display']} 屏幕")
        if a.get("gps"):
            parts.append("内置 GPS")
        if a.get("heart_rate"):
            parts.append("支持心率监测")
        parts += [f"续航最长 {_number(a['battery_days'])} 天", f"防水等级 {a['water_resistance']}",
                  f"兼容 {str(a['compatible_os']).replace(' and ', ' 和 ')}"]
    elif category == "cameras":
        sensor = str(a.get("sensor", ""))
        sensor_zh = _SENSORS.get(sensor) or sensor.replace("-inch", " 英寸")
        parts = [f"{sensor_zh}传感器{_CAMERA_TYPES.get(str(a.get('type')), '相机')}", _wan_pixels(a["megapixels"])]
        if a.get("video") and a["video"] != "none":
            parts.append(f"最高可录 {a['video']} 视频")
        if a.get("image_stabilization"):
            parts.append("支持防抖")
        if a.get("water_resistance"):
            depth = re.search(r"(\d+) m\b", str(a["water_resistance"]))
            parts.append(f"可防水至 {depth.group(1)} 米" if depth else "防水")
        kit = str(a.get("kit", ""))
        if kit.startswith("with "):
            parts.append(f"套机:配 {kit[5:].replace(' Lens', '')} 镜头")
        elif kit == "Body":
            parts.append("单机身")
    elif category == "tvs":
        hdr = "、".join(a.get("hdr") or [])
        parts = [f"{_number(a['screen_in'])} 英寸 {a['resolution']} {a['panel']} 智能电视",
                 f"{a['refresh_rate_hz']}Hz 刷新率", f"支持 {hdr}" if hdr else "", f"{a['smart_platform']} 系统",
                 f"{a['hdmi_ports']} 个 HDMI 接口"]
        if a.get("voice_assistant") and a["voice_assistant"] != "none":
            parts.append(f"内置 {a['voice_assistant']} 语音助手")
    else:
        parts = [f"{BRANDS_ZH.get(brand, brand)}{_ACCESSORY_TYPES.get(str(a.get('type')), '配件')}"]
        if a.get("wattage_w"):
            parts.append(f"功率 {a['wattage_w']}W")
        if a.get("capacity_mah"):
            parts.append(f"容量 {a['capacity_mah']:,} mAh")
        if a.get("capacity_gb"):
            parts.append(f"容量 {_storage(a['capacity_gb'])}")
        if a.get("length_ft"):
            metres = _number(round(float(a["length_ft"]) * 0.3048, 1))
            parts.append(f"长 {_number(a['length_ft'])} 英尺(约 {metres} 米)")
        if a.get("ports"):
            parts.append(f"{a['ports']} 个接口")
        if a.get("resolution"):
            parts.append(f"{a['resolution']} 画质")
        if a.get("connectivity"):
            parts.append(f"连接方式:{a['connectivity']}")
        if a.get("compatible_with"):
            parts.append(f"适用于{_compat(str(a['compatible_with']))}")
    color = color_zh(a.get("color"))
    if color and category != "accessories":
        parts.append(f"{color}")
    elif color:
        parts.append(f"颜色:{color}")
    return ",".join(p for p in parts if p) + "。"


def main() -> int:
    settings = load_settings()
    rows = []
    with open(settings.data.products, encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            try:
                attributes = json.loads(row["attributes"] or "{}")
            except ValueError:
                attributes = {}
            rows.append({"product_id": row["product_id"],
                         "name_zh": name_zh(row["name"], row["brand"], row["category"]),
                         "description_zh": description_zh(row["category"], row["brand"], attributes)})
    target = Path(settings.data.products_zh)
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["product_id", "name_zh", "description_zh"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} Chinese names and descriptions to {target} "
          f"({len(CATEGORY_LABELS_ZH)} categories)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
