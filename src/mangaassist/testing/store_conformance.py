"""Conformance suite for store services (local, http, grpc): subclass and provide two fixtures.

class TestMyStore(StoreConformance):
    @pytest.fixture
    def services(self) -> StoreServices: ...      # over a demo store built by `build_store`

    @pytest.fixture
    def store_today(self) -> date: ...            # the `today` that store was built with

The checks rely only on the protocols and on the fixed demo customers and promotions of
docs/demo-store.md, so they hold for any series data.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mangaassist.domain.store import Product, ReturnReason, is_asin
from mangaassist.store.errors import InvalidArgument, NotFound
from mangaassist.store.protocols import CatalogQuery, StoreServices

MEMBER_US = "C10001"
PRIME_JP = "C10002"
NO_ORDERS = "C10003"
PRIME_US = "C10004"
UNKNOWN_ASIN = "B000000000"
MALFORMED_ASINS = ("not-an-asin", "b0abcdefgh", "B0ABC", "")

#: (order, reason, eligible, eligibility reason) for the first item of each fixed order.
ELIGIBILITY_CASES: tuple[tuple[str, str, ReturnReason | None, bool, str], ...] = (
    (MEMBER_US, "MA-10001-00002", None, True, "within_window"),
    (MEMBER_US, "MA-10001-00003", None, False, "window_expired"),
    (MEMBER_US, "MA-10001-00003", "damaged", False, "window_expired"),
    (MEMBER_US, "MA-10001-00004", None, False, "opened"),
    (MEMBER_US, "MA-10001-00004", "damaged", True, "damaged_exception"),
    (MEMBER_US, "MA-10001-00004", "wrong_item", True, "wrong_item_exception"),
    (MEMBER_US, "MA-10001-00005", None, False, "digital_item"),
    (MEMBER_US, "MA-10001-00006", None, False, "not_delivered"),
    (MEMBER_US, "MA-10001-00001", None, False, "not_delivered"),
    (PRIME_US, "MA-10004-00002", None, False, "window_expired"),
    (PRIME_US, "MA-10004-00002", "defective", True, "damaged_exception"),
    (PRIME_US, "MA-10004-00004", None, False, "already_returned"),
    (PRIME_JP, "MA-10002-00002", None, True, "within_window"),
)


def _has_katakana(text: str) -> bool:
    return any(0x30A1 <= ord(c) <= 0x30F6 for c in text)


class StoreConformance:
    """Behaviour every `StoreServices` implementation must share over the demo store."""

    async def _sample(self, services: StoreServices, n: int = 10) -> list[Product]:
        return await services.catalog.list_products(0, n)

    # catalog ---------------------------------------------------------------------------

    async def test_get_returns_the_product(self, services: StoreServices) -> None:
        for product in await self._sample(services, 5):
            assert await services.catalog.get(product.asin) == product

    async def test_get_unknown_asin_is_not_found(self, services: StoreServices) -> None:
        with pytest.raises(NotFound):
            await services.catalog.get(UNKNOWN_ASIN)

    @pytest.mark.parametrize("asin", MALFORMED_ASINS)
    async def test_malformed_asin_is_invalid(self, services: StoreServices, asin: str) -> None:
        with pytest.raises(InvalidArgument):
            await services.catalog.get(asin)
        with pytest.raises(InvalidArgument):
            await services.catalog.get_many([asin])

    async def test_get_many_leaves_unknown_out(self, services: StoreServices) -> None:
        sample = await self._sample(services, 10)
        asins = [p.asin for p in sample]
        found = await services.catalog.get_many([*asins, UNKNOWN_ASIN])
        assert set(found) == set(asins)
        assert all(found[p.asin] == p for p in sample)
        assert await services.catalog.get_many([]) == {}

    async def test_search_english_title(self, services: StoreServices) -> None:
        for series in (await services.catalog.list_series())[:5]:
            results = await services.catalog.search(CatalogQuery(text=series.title_en))
            assert results, series.title_en
            assert results[0].series_id == series.series_id

    async def test_search_japanese_title(self, services: StoreServices) -> None:
        for series in (await services.catalog.list_series())[:5]:
            results = await services.catalog.search(CatalogQuery(text=series.title_ja))
            assert results, series.title_ja
            assert results[0].series_id == series.series_id

    async def test_search_folds_katakana_to_hiragana(self, services: StoreServices) -> None:
        listed = await services.catalog.list_series()
        candidates = [s for s in listed if _has_katakana(s.title_ja)]
        assert candidates, "the demo store needs a series with a katakana title"
        series = candidates[0]
        hiragana = "".join(
            chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in series.title_ja
        )
        results = await services.catalog.search(CatalogQuery(text=hiragana))
        assert results
        assert results[0].series_id == series.series_id

    async def test_search_romaji_is_case_insensitive(self, services: StoreServices) -> None:
        series = (await services.catalog.list_series())[0]
        results = await services.catalog.search(CatalogQuery(text=series.title_romaji.upper()))
        assert series.series_id in {p.series_id for p in results}

    async def test_search_by_author(self, services: StoreServices) -> None:
        series = (await services.catalog.list_series())[0]
        author = series.authors[0]
        results = await services.catalog.search(CatalogQuery(author=author, limit=50))
        assert results
        for product in results:
            owner = await services.catalog.get_series(product.series_id)
            assert any(author.lower() in a.lower() for a in owner.authors)
        query = CatalogQuery(author=author.upper(), series_id=series.series_id)
        assert await services.catalog.search(query)

    async def test_search_filters(self, services: StoreServices) -> None:
        series = (await services.catalog.list_series())[0]
        genre = series.genres[0]
        by_genre = await services.catalog.search(CatalogQuery(genre=genre, limit=50))
        assert by_genre
        for product in by_genre:
            assert genre in (await services.catalog.get_series(product.series_id)).genres
        japanese = await services.catalog.search(CatalogQuery(language="ja", limit=50))
        assert japanese
        assert all(p.language == "ja" and p.currency == "JPY" for p in japanese)
        cheap = await services.catalog.search(
            CatalogQuery(language="en", max_price=Decimal("10.00"), limit=50)
        )
        assert cheap
        assert all(p.price <= Decimal("10.00") for p in cheap)
        in_stock = await services.catalog.search(CatalogQuery(in_stock_only=True, limit=100))
        assert in_stock
        assert all(p.stock > 0 for p in in_stock)
        one = await services.catalog.search(CatalogQuery(series_id=series.series_id, limit=100))
        assert one
        assert {p.series_id for p in one} == {series.series_id}

    async def test_search_limit(self, services: StoreServices) -> None:
        assert len(await services.catalog.search(CatalogQuery(limit=3))) == 3
        with pytest.raises(InvalidArgument):
            await services.catalog.search(CatalogQuery(limit=0))

    async def test_search_without_match_is_empty(self, services: StoreServices) -> None:
        query = CatalogQuery(text="zzqx unmatched title qqzz")
        assert await services.catalog.search(query) == []

    async def test_series(self, services: StoreServices) -> None:
        listed = await services.catalog.list_series()
        assert listed
        assert [s.series_id for s in listed] == sorted(s.series_id for s in listed)
        assert await services.catalog.get_series(listed[0].series_id) == listed[0]
        with pytest.raises(NotFound):
            await services.catalog.get_series("no-such-series-anywhere")

    async def test_list_products_pages_in_asin_order(self, services: StoreServices) -> None:
        first = await services.catalog.list_products(0, 50)
        second = await services.catalog.list_products(50, 50)
        both = await services.catalog.list_products(0, 100)
        assert len(first) == 50
        assert first + second == both
        asins = [p.asin for p in both]
        assert asins == sorted(asins)
        assert all(is_asin(a) for a in asins)
        assert await services.catalog.list_products(10**7, 10) == []
        with pytest.raises(InvalidArgument):
            await services.catalog.list_products(-1, 10)

    # pricing ---------------------------------------------------------------------------

    async def test_prices_for_a_batch(self, services: StoreServices) -> None:
        sample = await self._sample(services, 10)
        prices = await services.pricing.get_prices([*(p.asin for p in sample), UNKNOWN_ASIN])
        assert set(prices) == {p.asin for p in sample}
        for product in sample:
            price = prices[product.asin]
            assert (price.price, price.list_price, price.currency) == (
                product.price,
                product.list_price,
                product.currency,
            )
            assert price.list_price >= price.price
        with pytest.raises(InvalidArgument):
            await services.pricing.get_prices(["nope"])

    # orders ----------------------------------------------------------------------------

    async def test_orders_of_the_owner_newest_first(self, services: StoreServices) -> None:
        orders = await services.orders.list_orders(MEMBER_US, limit=50)
        ids = {o.order_id for o in orders}
        assert {f"MA-10001-0000{i}" for i in range(1, 7)} <= ids
        assert all(o.customer_id == MEMBER_US for o in orders)
        placed = [o.placed_at for o in orders]
        assert placed == sorted(placed, reverse=True)
        assert len(await services.orders.list_orders(MEMBER_US, limit=2)) == 2
        order = await services.orders.get_order(MEMBER_US, "MA-10001-00002")
        assert order.status == "delivered"
        assert order.items

    async def test_someone_elses_order_is_not_found(self, services: StoreServices) -> None:
        with pytest.raises(NotFound):
            await services.orders.get_order(PRIME_JP, "MA-10001-00001")
        with pytest.raises(NotFound):
            await services.shipping.track(PRIME_JP, "MA-10001-00001")
        order = await services.orders.get_order(MEMBER_US, "MA-10001-00002")
        with pytest.raises(NotFound):
            await services.returns.check_eligibility(
                PRIME_JP, "MA-10001-00002", order.items[0].asin
            )
        with pytest.raises(NotFound):
            await services.orders.get_order(MEMBER_US, "MA-99999-99999")

    async def test_malformed_order_id_is_invalid(self, services: StoreServices) -> None:
        for bad in ("12345", "MA-1-2", "ma-10001-00001", "MA-10001-00001/../x"):
            with pytest.raises(InvalidArgument):
                await services.orders.get_order(MEMBER_US, bad)

    async def test_customer_without_orders(self, services: StoreServices) -> None:
        assert await services.orders.list_orders(NO_ORDERS) == []
        assert await services.profiles.purchased_asins(NO_ORDERS) == []

    # returns ---------------------------------------------------------------------------

    @pytest.mark.parametrize(
        ("customer", "order_id", "reason", "eligible", "why"), ELIGIBILITY_CASES
    )
    async def test_return_eligibility(
        self,
        services: StoreServices,
        store_today: date,
        customer: str,
        order_id: str,
        reason: ReturnReason | None,
        eligible: bool,
        why: str,
    ) -> None:
        order = await services.orders.get_order(customer, order_id)
        asin = order.items[0].asin
        verdict = await services.returns.check_eligibility(customer, order_id, asin, reason)
        assert (verdict.order_id, verdict.asin) == (order_id, asin)
        assert verdict.eligible is eligible
        assert verdict.eligibility_v2.eligible is verdict.eligible
        assert verdict.eligibility_v2.reason == why
        assert verdict.eligibility_v2.message
        if eligible:
            assert verdict.eligibility_v2.deadline is not None
            assert verdict.eligibility_v2.deadline >= store_today

    async def test_return_of_an_item_not_in_the_order(self, services: StoreServices) -> None:
        order = await services.orders.get_order(MEMBER_US, "MA-10001-00002")
        other = next(
            p
            for p in await self._sample(services, 50)
            if p.asin not in {i.asin for i in order.items}
        )
        verdict = await services.returns.check_eligibility(MEMBER_US, order.order_id, other.asin)
        assert not verdict.eligible
        assert verdict.eligibility_v2.reason == "item_not_in_order"
        with pytest.raises(InvalidArgument):
            await services.returns.check_eligibility(MEMBER_US, order.order_id, "bad")

    # shipping --------------------------------------------------------------------------

    async def test_shipping_options_per_region_and_tier(self, services: StoreServices) -> None:
        guest = {o.option_id: o for o in await services.shipping.options("US")}
        assert {"us-standard", "us-expedited", "us-next-day"} <= set(guest)
        assert "us-prime-2day" not in guest
        assert guest["us-standard"].price == Decimal("4.99")
        assert guest["us-standard"].free_over == Decimal("35.00")
        prime = {o.option_id: o for o in await services.shipping.options("US", "prime")}
        assert prime["us-prime-2day"].price == Decimal(0)
        japan = {o.option_id: o for o in await services.shipping.options("JP", "member")}
        assert japan["jp-standard"].currency == "JPY"
        assert japan["jp-standard"].price == Decimal(1200)
        japan_prime = {o.option_id: o for o in await services.shipping.options("JP", "prime")}
        assert japan_prime["jp-standard"].price == Decimal(600)
        assert japan_prime["jp-express"].price == Decimal(3000)
        europe = await services.shipping.options("DE")
        assert {o.region for o in europe} == {"EU"}
        assert await services.shipping.options("BR") == []
        with pytest.raises(InvalidArgument):
            await services.shipping.options("USA")

    async def test_tracking(self, services: StoreServices) -> None:
        moving = await services.shipping.track(MEMBER_US, "MA-10001-00001")
        assert moving.status == "in_transit"
        assert moving.carrier == "UPS"
        assert (moving.tracking_number or "").startswith("1Z")
        assert moving.eta is not None
        assert moving.events
        times = [e.at for e in moving.events]
        assert times == sorted(times)
        waiting = await services.shipping.track(MEMBER_US, "MA-10001-00006")
        assert waiting.status == "processing"
        assert waiting.tracking_number is None
        japan = await services.shipping.track(PRIME_JP, "MA-10002-00001")
        assert japan.carrier == "Japan Post"
        number = japan.tracking_number or ""
        assert number.startswith("EJ")
        assert number.endswith("JP")

    # profiles --------------------------------------------------------------------------

    async def test_profiles(self, services: StoreServices) -> None:
        member = await services.profiles.get_profile(MEMBER_US)
        assert (member.tier, member.region, member.preferred_language) == ("member", "US", "en")
        japan = await services.profiles.get_profile(PRIME_JP)
        assert (japan.tier, japan.region, japan.preferred_language) == ("prime", "JP", "ja")
        with pytest.raises(NotFound):
            await services.profiles.get_profile("C99999")
        with pytest.raises(InvalidArgument):
            await services.profiles.get_profile("bad id/../")

    async def test_purchased_asins(self, services: StoreServices) -> None:
        owned = set(await services.profiles.purchased_asins(MEMBER_US))
        for order in await services.orders.list_orders(MEMBER_US, limit=50):
            for item in order.items:
                assert item.asin in owned
        cancelled = await services.orders.get_order(PRIME_US, "MA-10004-00003")
        assert cancelled.status == "cancelled"
        prime_owned = set(await services.profiles.purchased_asins(PRIME_US))
        delivered = await services.orders.get_order(PRIME_US, "MA-10004-00002")
        assert {i.asin for i in delivered.items} <= prime_owned

    # promotions and reviews ------------------------------------------------------------

    async def test_promotions_active_today(
        self, services: StoreServices, store_today: date
    ) -> None:
        active = await services.promotions.active()
        assert active
        assert all(p.starts <= store_today <= p.ends for p in active)
        assert active == await services.promotions.active(store_today)
        ids = {p.promo_id for p in active}
        assert "PROMO-SUMMER-ADVENTURE" not in ids
        assert "PROMO-ROMANCE-WEEK" not in ids
        later = {
            p.promo_id for p in await services.promotions.active(store_today + timedelta(days=8))
        }
        assert "PROMO-ROMANCE-WEEK" in later

    async def test_reviews(self, services: StoreServices) -> None:
        products = await services.catalog.list_products(0, 500)
        found = None
        for product in products:
            reviews = await services.reviews.for_product(product.asin, limit=3)
            if reviews:
                found = (product, reviews)
                break
        assert found is not None
        product, reviews = found
        assert len(reviews) <= 3
        assert all(r.asin == product.asin and 1 <= r.rating <= 5 for r in reviews)
        created = [r.created for r in reviews]
        assert created == sorted(created, reverse=True)
        with pytest.raises(NotFound):
            await services.reviews.for_product(UNKNOWN_ASIN)
        with pytest.raises(InvalidArgument):
            await services.reviews.for_product("bad")
