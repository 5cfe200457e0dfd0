"""Chinese words for the catalogue's categories, brands, colours and product kinds.

Shared by the catalogue (reading Chinese category and brand words), the generator of the Chinese
product names (scripts/make_products_zh.py) and the chat texts (category labels in replies).
"""

from __future__ import annotations

# How a reply names each category.
CATEGORY_LABELS_ZH: dict[str, str] = {
    "phones": "手机", "laptops": "笔记本电脑", "tablets": "平板电脑", "headphones": "耳机",
    "smartwatches": "智能手表", "cameras": "相机", "tvs": "电视", "accessories": "配件",
}
# Words shoppers use for a category. Accessory words win over device words ("手机壳" is a case),
# and otherwise the longest word found wins ("平板电脑" is a tablet, not a "电脑").
CATEGORY_TERMS_ZH: dict[str, tuple[str, ...]] = {
    "phones": ("手机", "智能手机", "苹果手机", "安卓手机", "折叠屏", "折叠屏手机", "5g手机"),
    "laptops": ("笔记本", "笔记本电脑", "电脑", "手提电脑", "游戏本", "轻薄本", "苹果电脑", "商务本"),
    "tablets": ("平板", "平板电脑", "安卓平板"),
    "headphones": ("耳机", "蓝牙耳机", "降噪耳机", "无线耳机", "头戴式耳机", "入耳式耳机", "耳麦", "耳塞"),
    "smartwatches": ("手表", "智能手表", "运动手表", "手环", "智能手环", "穿戴设备", "可穿戴设备"),
    "cameras": ("相机", "照相机", "数码相机", "单反", "微单", "无人机", "运动相机", "摄像机", "vlog相机", "拍立得"),
    "tvs": ("电视", "电视机", "彩电", "智能电视", "液晶电视"),
    "accessories": ("配件", "充电器", "充电头", "数据线", "充电线", "手机壳", "保护壳", "保护套", "充电宝",
                    "移动电源", "鼠标", "键盘", "存储卡", "内存卡", "sd卡", "固态硬盘", "移动硬盘", "扩展坞",
                    "集线器", "贴膜", "钢化膜", "保护膜", "手写笔", "转接头", "u盘", "摄像头", "无线充电器",
                    "定位器"),
}
BRANDS_ZH: dict[str, str] = {
    "Apple": "苹果", "Samsung": "三星", "Google": "谷歌", "OnePlus": "一加", "Motorola": "摩托罗拉",
    "Xiaomi": "小米", "Sony": "索尼", "Dell": "戴尔", "HP": "惠普", "Lenovo": "联想", "Asus": "华硕",
    "Acer": "宏碁", "Microsoft": "微软", "Razer": "雷蛇", "Amazon": "亚马逊", "Bose": "Bose",
    "Sennheiser": "森海塞尔", "JBL": "JBL", "Beats": "Beats", "Jabra": "捷波朗", "Anker": "安克",
    "Garmin": "佳明", "Fitbit": "Fitbit", "Amazfit": "华米 Amazfit", "Canon": "佳能", "Nikon": "尼康",
    "Fujifilm": "富士", "GoPro": "GoPro", "Panasonic": "松下", "DJI": "大疆", "LG": "LG", "TCL": "TCL",
    "Hisense": "海信", "Vizio": "Vizio", "Belkin": "贝尔金", "Logitech": "罗技", "Spigen": "Spigen",
    "SanDisk": "闪迪",
}
# Other Chinese names shoppers use for a brand.
BRAND_ALIASES_ZH: dict[str, str] = {
    "华米": "Amazfit", "博士": "Bose", "乐金": "LG", "麦克赛尔": "Maxell", "魔声": "Beats", "瑞轩": "Vizio",
    "傲风": "Amazfit", "果子": "Apple",
}
COLORS_ZH: dict[str, str] = {
    "black": "黑色", "white": "白色", "silver": "银色", "gray": "灰色", "grey": "灰色", "blue": "蓝色",
    "green": "绿色", "pink": "粉色", "red": "红色", "purple": "紫色", "gold": "金色", "yellow": "黄色",
    "orange": "橙色", "midnight": "午夜色", "starlight": "星光色", "rose": "玫瑰色", "lavender": "薰衣草紫",
    "titan gray": "钛灰色", "indigo blue": "靛蓝色", "aurora blue": "极光蓝", "space gray": "深空灰色",
    "space black": "深空黑色", "graphite": "石墨色", "beige": "米色", "stone": "岩石色", "lilac purple": "丁香紫",
    "dark olive": "深橄榄绿", "sand": "沙色", "navy": "海军蓝", "cream": "奶油色", "titanium": "钛金属色",
    "natural titanium": "原色钛金属", "desert titanium": "沙漠色钛金属", "clear": "透明",
    "transparent": "透明", "crystal clear": "透明",
    "platinum": "铂金色", "violet": "紫罗兰色", "emerald": "祖母绿", "mint": "薄荷绿", "champagne": "香槟色",
    "rose gold": "玫瑰金", "obsidian": "曜石黑", "porcelain": "瓷白色", "sapphire": "宝石蓝", "jade green": "翡翠绿",
    "sky blue": "天蓝色", "plum": "梅子色", "denim": "丹宁蓝", "hazel": "榛色", "moss": "苔绿色", "dune": "沙丘色",
}
# Words of English product names with a common Chinese rendering.
NAME_WORDS_ZH: dict[str, str] = {
    "Wireless Earbuds": "无线耳机", "Wireless Headphones": "无线头戴式耳机", "Open-Ear Earbuds": "开放式耳机",
    "Earbuds": "耳机", "Headphones": "耳机", "Smart TV": "智能电视", "Google TV": "Google TV 电视",
    "Fire TV": "Fire TV 电视", "Gaming Laptop": "游戏本", "Wireless Mouse": "无线鼠标", "Mouse": "鼠标",
    "Keyboard": "键盘", "Portable SSD": "移动固态硬盘", "Power Bank": "充电宝", "Wireless Charger": "无线充电器",
    "Charger": "充电器", "Cable": "数据线", "Screen Protector": "钢化膜", "Webcam": "摄像头", "Drone": "无人机",
    "Vlog Camera": "Vlog 相机", "-inch": " 英寸", "2-Pack": "两只装",
    "4-Pack": "四只装", "Wi-Fi + Cellular": "WLAN + 蜂窝网络版", "Wi-Fi": "WLAN 版",
}
