-- TPC-DS Q97 (Appendix B.97): over a year, how many customer / item pairs bought only in stores, only
-- from the catalog, and in both.
-- @param DMS 1200 ~ uniform(1176, 1224)
with store_pairs as (
    select ss_customer_sk as customer_sk, ss_item_sk as item_sk
    from store_sales, date_dim
    where ss_sold_date_sk = d_date_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    group by ss_customer_sk, ss_item_sk
),
catalog_pairs as (
    select cs_bill_customer_sk as customer_sk, cs_item_sk as item_sk
    from catalog_sales, date_dim
    where cs_sold_date_sk = d_date_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    group by cs_bill_customer_sk, cs_item_sk
)
select
    sum(case when s.customer_sk is not null and c.customer_sk is null then 1 else 0 end) as store_only,
    sum(case when s.customer_sk is null and c.customer_sk is not null then 1 else 0 end) as catalog_only,
    sum(case when s.customer_sk is not null and c.customer_sk is not null then 1 else 0 end) as store_and_catalog
from store_pairs s
full outer join catalog_pairs c
    on s.customer_sk = c.customer_sk
    and s.item_sk = c.item_sk
limit 100
