-- TPC-DS Q61 (Appendix B.61): store sales in a month of items of one category to customers and in
-- stores of one time zone: the amount sold with a promotion, the total, and their ratio.
-- @param GMT -5 ~ choice([-6, -7])
-- @param CATEGORY 'Jewelry' ~ choice(['Books', 'Home', 'Electronics', 'Jewelry', 'Sports'])
-- @param MONTH 11 ~ uniform(11, 12)
-- @param YEAR 1998 ~ uniform(1998, 2002)
with promoted as (
    select sum(ss_ext_sales_price) as promotions
    from store_sales, store, promotion, date_dim, customer, customer_address, item
    where ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and ss_promo_sk = p_promo_sk
      and ss_customer_sk = c_customer_sk
      and ca_address_sk = c_current_addr_sk
      and ss_item_sk = i_item_sk
      and ca_gmt_offset = ${GMT}
      and i_category = '${CATEGORY}'
      and (p_channel_dmail = 'Y' or p_channel_email = 'Y' or p_channel_tv = 'Y')
      and s_gmt_offset = ${GMT}
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
),
all_sales as (
    select sum(ss_ext_sales_price) as total
    from store_sales, store, date_dim, customer, customer_address, item
    where ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and ss_customer_sk = c_customer_sk
      and ca_address_sk = c_current_addr_sk
      and ss_item_sk = i_item_sk
      and ca_gmt_offset = ${GMT}
      and i_category = '${CATEGORY}'
      and s_gmt_offset = ${GMT}
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
)
select
    promotions,
    total,
    cast(promotions as decimal(15,4)) / cast(total as decimal(15,4)) * 100 as promo_percent
from promoted, all_sales
order by promotions, total
limit 100
