"""Dollars and yuan: prices are kept in dollars; Chinese shoppers may speak in yuan and see both."""

from __future__ import annotations

from dataclasses import dataclass

# How many yuan one dollar buys unless shop.yml says otherwise (``currency.yuan_per_dollar``).
DEFAULT_YUAN_PER_DOLLAR = 7.2


@dataclass(frozen=True)
class Currency:
    """Converts at ``yuan_per_dollar`` (``currency.yuan_per_dollar`` in shop.yml)."""

    yuan_per_dollar: float = DEFAULT_YUAN_PER_DOLLAR

    def to_dollars(self, yuan: float) -> float:
        return round(yuan / self.yuan_per_dollar, 2)

    def to_yuan(self, dollars: float) -> float:
        return dollars * self.yuan_per_dollar

    def price(self, dollars: float, language: str = "en") -> str:
        """"$343.00", or for Chinese "$343.00(约 ¥2,470)": the shop charges dollars, the yuan is a guide."""
        text = f"${dollars:,.2f}"
        if language == "zh":
            text += f"(约 ¥{self.to_yuan(dollars):,.0f})"
        return text

    def whole(self, dollars: float, language: str = "en") -> str:
        """A budget bound: "$500", or "$500(约 ¥3,600)"."""
        text = f"${dollars:,.0f}"
        if language == "zh":
            text += f"(约 ¥{self.to_yuan(dollars):,.0f})"
        return text
