-- TPC-DS Q60 (Appendix B.60): sales in one month, over all three channels, of items in a category,
-- bought by customers in one time zone; per item.
-- @param CATEGORY 'Music' ~ choice(['Children', 'Men', 'Music', 'Jewelry', 'Shoes'])
-- @param GMT -5 ~ choice(vocab('gmt_offsets'))
-- @param MONTH 9 ~ uniform(8, 10)
-- @param YEAR 1998 ~ uniform(1998, 2002)
with category_items as (
    select i_item_id
    from item
    where i_category = '${CATEGORY}'
),
store_part as (
    select i_item_id, sum(ss_ext_sales_price) as total_sales
    from store_sales, date_dim, customer_address, item
    where i_item_id in (select i_item_id from category_items)
      and ss_item_sk = i_item_sk
      and ss_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and ss_addr_sk = ca_address_sk
      and ca_gmt_offset = ${GMT}
    group by i_item_id
),
catalog_part as (
    select i_item_id, sum(cs_ext_sales_price) as total_sales
    from catalog_sales, date_dim, customer_address, item
    where i_item_id in (select i_item_id from category_items)
      and cs_item_sk = i_item_sk
      and cs_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and cs_bill_addr_sk = ca_address_sk
      and ca_gmt_offset = ${GMT}
    group by i_item_id
),
web_part as (
    select i_item_id, sum(ws_ext_sales_price) as total_sales
    from web_sales, date_dim, customer_address, item
    where i_item_id in (select i_item_id from category_items)
      and ws_item_sk = i_item_sk
      and ws_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and ws_bill_addr_sk = ca_address_sk
      and ca_gmt_offset = ${GMT}
    group by i_item_id
)
select i_item_id, sum(total_sales) as total_sales
from (
    select * from store_part
    union all
    select * from catalog_part
    union all
    select * from web_part
) channels
group by i_item_id
order by i_item_id, total_sales
limit 100
