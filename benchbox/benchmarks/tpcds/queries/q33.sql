-- TPC-DS Q33 (Appendix B.33): sales of a month, over all three channels, per manufacturer of items in a
-- given category, to customers in a given time zone, smallest total first.
-- The kit draws GMT from the store counties' offsets (-5 at SF 1); vocabulary.json has no store offsets,
-- so the domain is written out.
-- @param CATEGORY 'Electronics' ~ choice(['Books', 'Home', 'Electronics', 'Jewelry', 'Sports'])
-- @param GMT -5 ~ choice([-5])
-- @param MONTH 5 ~ uniform(1, 7)
-- @param YEAR 1998 ~ uniform(1998, 2002)
with category_manufacturers as (
    select i_manufact_id
    from item
    where i_category = '${CATEGORY}'
),
store_part as (
    select i_manufact_id, sum(ss_ext_sales_price) as total_sales
    from store_sales, date_dim, customer_address, item
    where i_manufact_id in (select i_manufact_id from category_manufacturers)
      and ss_item_sk = i_item_sk
      and ss_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and ss_addr_sk = ca_address_sk
      and ca_gmt_offset = ${GMT}
    group by i_manufact_id
),
catalog_part as (
    select i_manufact_id, sum(cs_ext_sales_price) as total_sales
    from catalog_sales, date_dim, customer_address, item
    where i_manufact_id in (select i_manufact_id from category_manufacturers)
      and cs_item_sk = i_item_sk
      and cs_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and cs_bill_addr_sk = ca_address_sk
      and ca_gmt_offset = ${GMT}
    group by i_manufact_id
),
web_part as (
    select i_manufact_id, sum(ws_ext_sales_price) as total_sales
    from web_sales, date_dim, customer_address, item
    where i_manufact_id in (select i_manufact_id from category_manufacturers)
      and ws_item_sk = i_item_sk
      and ws_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and ws_bill_addr_sk = ca_address_sk
      and ca_gmt_offset = ${GMT}
    group by i_manufact_id
)
select i_manufact_id, sum(total_sales) as total_sales
from (
    select * from store_part
    union all
    select * from catalog_part
    union all
    select * from web_part
) all_channels
group by i_manufact_id
order by total_sales
limit 100
