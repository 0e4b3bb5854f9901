-- TPC-DS Q6 (Appendix B.6): states with at least 10 store purchases, in one month, of items priced
-- more than 20% above the average price of their category.
-- @param YEAR 2001 ~ uniform(1998, 2002)
-- @param MONTH 1 ~ uniform(1, 7)
with category_price as (
    select i_category as category, avg(i_current_price) as avg_price
    from item
    group by i_category
)
select ca_state as state, count(*) as cnt
from customer_address, customer, store_sales, date_dim, item, category_price
where ca_address_sk = c_current_addr_sk
  and c_customer_sk = ss_customer_sk
  and d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and d_month_seq = (
        select distinct d_month_seq
        from date_dim
        where d_year = ${YEAR}
          and d_moy = ${MONTH}
    )
  and category_price.category = i_category
  and i_current_price > 1.2 * category_price.avg_price
group by ca_state
having count(*) >= 10
order by cnt, ca_state
limit 100
